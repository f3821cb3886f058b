package dev.switchboard.backplane.nats;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One {@code nats-server -js} process started by a test on 127.0.0.1, a free port and a JetStream store in a
 * temporary directory; it can be killed ({@code SIGKILL}, as a crash) and started again on the same port and
 * store. The binary comes from the PATH (Debian's {@code nats-server} package) or {@code /usr/sbin}.
 */
final class NatsServerProcess implements AutoCloseable {
    private final String binary;
    private final Path dir;
    private final int port;
    private Process process;

    private NatsServerProcess(String binary, Path dir) {
        this.binary = binary;
        this.dir = dir;
        this.port = freePort();
    }

    /** @param dir the store and log directory @return a server, not started, or empty without a binary */
    static Optional<NatsServerProcess> find(Path dir) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/local/sbin";
        for (String d : path.split(":")) {
            Path p = Path.of(d.isEmpty() ? "." : d, "nats-server");
            if (Files.isExecutable(p)) {
                return Optional.of(new NatsServerProcess(p.toString(), dir));
            }
        }
        return Optional.empty();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String uri() {
        return "nats://127.0.0.1:" + port;
    }

    /** Starts the process and waits until it accepts connections. */
    synchronized NatsServerProcess start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        Path log = dir.resolve("nats-" + port + ".log");
        try {
            Files.createDirectories(dir);
            process = new ProcessBuilder(List.of(binary, "-js", "-a", "127.0.0.1", "-p", Integer.toString(port),
                    "-sd", dir.resolve("store").toString()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!accepts()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("nats-server on port " + port + " did not start: " + read(log));
            }
            pauseBriefly();
        }
        return this;
    }

    /** Kills the process with SIGKILL and waits until it is gone. */
    synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        kill();
    }

    private boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static void pauseBriefly() {
        // Polling a process that is starting: no event to wait on.
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
