package dev.switchboard.backplane.postgres;

import dev.switchboard.spi.Backplane;
import dev.switchboard.testkit.BackplaneCompatibilityKit;
import java.time.Duration;
import java.util.UUID;

/**
 * The backplane contract ({@link BackplaneCompatibilityKit}) against the embedded PostgreSQL server,
 * including the outage tests (the server is stopped and restarted on the same port and data).
 */
class PostgresBackplaneCompatibilityTest extends BackplaneCompatibilityKit {
    private static final String PREFIX = "kit_" + UUID.randomUUID().toString().substring(0, 8);

    /** @return the server these tests run against */
    TestPostgres server() {
        return TestPostgres.embedded();
    }

    @Override
    protected Backplane createBackplane() {
        TestPostgres s = server();
        return PostgresBackplane.create(PostgresBackplaneOptions.builder()
                .url(s.jdbcUrl()).user(s.user()).password(s.password())
                .channelPrefix(PREFIX)
                .tablePrefix(PREFIX)
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .probeInterval(Duration.ofSeconds(2))
                .build());
    }

    @org.junit.jupiter.api.AfterAll
    static void dropTables() {
        // Both variants use the same prefix; only servers that were used have tables to drop.
        if (System.getenv(TestPostgres.ENV) != null) {
            TestPostgres.external().dropTables(PREFIX);
        }
    }

    @Override
    protected boolean canRestartServer() {
        return server().canRestart();
    }

    @Override
    protected void stopServer() throws Exception {
        server().stop();
    }

    @Override
    protected void startServer() throws Exception {
        server().start();
    }
}
