package dev.switchboard.bench.chaos;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A {@code nats-server -js} process, Debian's from the PATH or {@code /usr/sbin} ({@code .ci/run} installs it),
 * with its JetStream store in the run's directory. JetStream writes every acknowledged append to its files
 * before answering, so a {@code kill -9} of the process loses nothing; a restart without data deletes the
 * store first, and every durable topic's stream is made again (a new epoch).
 */
final class NatsServer implements BackplaneServer {
    private Path dir;
    private int port;
    private Process process;
    private boolean keepData;

    /** @return the binary to run, or empty */
    static Optional<String> binary() {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin";
        for (String d : path.split(File.pathSeparator)) {
            File f = new File(d, "nats-server");
            if (f.canExecute()) {
                return Optional.of(f.getAbsolutePath());
            }
        }
        return Optional.empty();
    }

    @Override
    public String name() {
        return "nats";
    }

    @Override
    public void start(Path dir) throws Exception {
        this.dir = Files.createDirectories(dir);
        this.port = Processes.freePort();
        launch();
    }

    private void launch() throws Exception {
        String bin = binary().orElseThrow(() -> new IllegalStateException("no nats-server on the PATH"));
        process = Processes.start(List.of(bin, "-js", "-a", "127.0.0.1", "-p", Integer.toString(port),
                "-sd", dir.resolve("store").toString()), dir.resolve("nats.log"));
        Processes.await("nats-server on " + port, process, this::accepts);
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String nodeUri(int proxyPort) {
        return "nats://127.0.0.1:" + proxyPort;
    }

    @Override
    public String crash(boolean keep) throws Exception {
        this.keepData = keep;
        Processes.kill9(process);
        return "kill -9 nats-server (pid " + process.pid() + ")";
    }

    @Override
    public void restart() throws Exception {
        if (!keepData) {
            Processes.deleteRecursively(dir.resolve("store"));
        }
        launch();
    }

    @Override
    public void close() {
        if (process != null) {
            Processes.kill9(process);
        }
    }

    private boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
