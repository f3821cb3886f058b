package dev.switchboard.backplane.mongo;

import dev.switchboard.spi.Backplane;
import dev.switchboard.testkit.BackplaneCompatibilityKit;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The backplane contract against mongo-java-server with its oplog, including outages: the server
 * crashes and comes back on the same port over the same data, and change streams resume from their
 * tokens.
 */
class MongoBackplaneCompatibilityTest extends BackplaneCompatibilityKit {
    private static MongoTestServer server;

    @BeforeAll
    static void startMongo() {
        server = MongoTestServer.start();
    }

    @AfterAll
    static void stopMongo() {
        server.close();
    }

    /** @param uri a server @return test settings: short timeouts so outages show quickly */
    static MongoBackplaneOptions.Builder testOptions(String uri) {
        return MongoBackplaneOptions.builder()
                .connectionString(uri)
                .database("compat")
                .serverSelectionTimeout(Duration.ofSeconds(1))
                .resumeBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
                .startTimeout(Duration.ofSeconds(3));
    }

    @Override
    protected Backplane createBackplane() {
        return MongoBackplane.create(testOptions(server.uri()).build());
    }

    @Override
    protected boolean canRestartServer() {
        return true;
    }

    @Override
    protected void stopServer() {
        server.stop();
    }

    @Override
    protected void startServer() {
        server.restart();
    }
}
