package dev.switchboard.bench.chaos;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A {@code redis-server} process: Debian's from the PATH ({@code .ci/run} installs it), else the one
 * embedded-redis ships. It persists with an append-only file fsynced on every write, so a
 * {@code kill -9} loses nothing; a restart without data deletes the files first (a new epoch).
 */
final class RedisServer extends ServerProcess {

    /** @return the binary to run, or empty when neither Debian's nor embedded-redis's runs here */
    static Optional<String> binary() {
        Optional<String> onPath = executable("redis-server");
        if (onPath.isPresent()) {
            return onPath;
        }
        try {
            File f = redis.embedded.core.ExecutableProvider.newJarResourceProvider().get();
            Process p = new ProcessBuilder(f.getAbsolutePath(), "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0 ? Optional.of(f.getAbsolutePath()) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    protected void launch() throws Exception {
        String bin = binary().orElseThrow(() -> new IllegalStateException("no redis-server on the PATH and the "
                + "embedded-redis binary does not run here"));
        process = Processes.start(List.of(bin, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--appendonly", "yes", "--appendfsync", "always", "--save", "",
                "--protected-mode", "no", "--daemonize", "no", "--loglevel", "warning"), dir.resolve("redis.log"));
        Processes.await("redis-server on " + port, process, this::answersPing);
    }

    @Override
    protected void deleteData() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                if (p.getFileName().toString().startsWith("appendonly") || p.getFileName().toString().endsWith(".rdb")) {
                    Processes.deleteRecursively(p);
                }
            }
        }
    }

    @Override
    protected String processName() {
        return "redis-server";
    }

    @Override
    public String nodeUri(int proxyPort) {
        return "redis://127.0.0.1:" + proxyPort;
    }

    private boolean answersPing() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[7];
            int n = in.read(buf);
            return n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }
}
