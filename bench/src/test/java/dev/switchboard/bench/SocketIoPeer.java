package dev.switchboard.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The bench's Socket.IO server ({@code bench/socketio/server.js}) as a child process on a free port, for
 * the smoke test. Never installs anything: {@link #unavailable()} says why it cannot run (no {@code node}
 * on the PATH, or {@code bench/socketio/install.sh} not run — {@code .ci/run} runs it).
 */
final class SocketIoPeer implements AutoCloseable {
    static final Path DIR = Path.of("socketio").toAbsolutePath();

    private final Process process;
    private final String url;

    private SocketIoPeer(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /** @return why the peer cannot start here, or null when it can */
    static String unavailable() {
        if (node() == null) {
            return "node is not on the PATH: the Socket.IO peer is not measured (install Node.js 18+)";
        }
        if (!Files.isDirectory(DIR.resolve("node_modules/socket.io"))) {
            return "Socket.IO is not installed: run bench/socketio/install.sh (.ci/run does) to measure the peer";
        }
        return null;
    }

    /**
     * Starts {@code node server.js --port 0} and waits for its ready line.
     *
     * @return the running peer
     * @throws IllegalStateException when it does not start within 30 s
     */
    static SocketIoPeer start() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(node(), "--expose-gc", "server.js", "--port", "0"))
                .directory(DIR.toFile()).redirectErrorStream(true).start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                StringBuilder seen = new StringBuilder();
                for (String line; (line = lines.readLine()) != null; ) {
                    if (line.startsWith("socketio-server ready [")) {
                        return line.substring(line.indexOf('[') + 1, line.indexOf(']'));
                    }
                    seen.append(line).append('\n');
                }
                throw new IllegalStateException("server.js exited: " + seen);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            String url = ready.get(30, TimeUnit.SECONDS);
            // Keep draining its output so it never blocks on a full pipe.
            Thread drain = new Thread(() -> lines.lines().forEach(l -> { }), "socketio-peer-output");
            drain.setDaemon(true);
            drain.start();
            return new SocketIoPeer(p, url);
        } catch (ExecutionException | TimeoutException e) {
            p.destroyForcibly();
            throw new IllegalStateException("the Socket.IO peer did not start: " + e.getMessage(), e);
        }
    }

    /** @return its endpoint, {@code ws://127.0.0.1:PORT/socket.io/?EIO=4&transport=websocket} */
    String url() {
        return url;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private static String node() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            File f = new File(dir, "node");
            if (f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        return null;
    }
}
