package dev.switchboard.bench.chaos;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A {@code nats-server -js} process, Debian's from the PATH or {@code /usr/sbin} ({@code .ci/run} installs it),
 * with its JetStream store in the run's directory. JetStream writes every acknowledged append to its files
 * before answering, so a {@code kill -9} of the process loses nothing; a restart without data deletes the
 * store first, and every durable topic's stream is made again (a new epoch).
 */
final class NatsServer extends ServerProcess {

    /** @return the binary to run, or empty */
    static Optional<String> binary() {
        return executable("nats-server", "/usr/sbin");
    }

    @Override
    public String name() {
        return "nats";
    }

    @Override
    protected void launch() throws Exception {
        String bin = binary().orElseThrow(() -> new IllegalStateException("no nats-server on the PATH"));
        process = Processes.start(List.of(bin, "-js", "-a", "127.0.0.1", "-p", Integer.toString(port),
                "-sd", dir.resolve("store").toString()), dir.resolve("nats.log"));
        Processes.await("nats-server on " + port, process, this::accepts);
    }

    @Override
    protected void deleteData() throws IOException {
        Processes.deleteRecursively(dir.resolve("store"));
    }

    @Override
    protected String processName() {
        return "nats-server";
    }

    @Override
    public String nodeUri(int proxyPort) {
        return "nats://127.0.0.1:" + proxyPort;
    }
}
