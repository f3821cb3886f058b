package dev.switchboard.bench.chaos;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A PostgreSQL server from zonky's embedded binaries (as the backplane's own tests use them), with its
 * data directory in the soak's directory. A crash is {@code kill -9} of the postmaster and its backends;
 * a restart with data recovers from the WAL, one without data runs {@code initdb} on an empty directory.
 */
final class PostgresServer implements BackplaneServer {
    private Path data;
    private int port;
    private EmbeddedPostgres server;
    private boolean keepData;

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public void start(Path dir) throws Exception {
        data = Files.createDirectories(dir).resolve("data");
        Processes.deleteRecursively(data);
        Files.createDirectories(data);
        port = Processes.freePort();
        launch();
    }

    private void launch() throws IOException {
        server = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setServerConfig("max_connections", "300")
                .setPGStartupWait(Duration.ofSeconds(60))
                .start();
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String nodeUri(int proxyPort) {
        return "postgres://postgres@127.0.0.1:" + proxyPort + "/postgres?connectTimeout=5&reconnectMin=100ms"
                + "&reconnectMax=2s";
    }

    @Override
    public String crash(boolean keep) throws Exception {
        keepData = keep;
        long pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
        ProcessHandle postmaster = ProcessHandle.of(pid)
                .orElseThrow(() -> new IllegalStateException("postmaster " + pid + " is not running"));
        Processes.kill9(postmaster);
        try {
            server.close(); // its pg_ctl stop fails (nothing runs); this releases zonky's lock on the directory
        } catch (IOException | RuntimeException e) {
            // expected: the server is already gone
        }
        return "kill -9 postmaster " + pid + " and its backends";
    }

    @Override
    public void restart() throws Exception {
        if (!keepData) {
            Processes.deleteRecursively(data);
            Files.createDirectories(data);
        }
        launch();
    }

    @Override
    public void close() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException | RuntimeException e) {
                // best effort at the end of a run
            }
        }
    }
}
