package dev.switchboard.backplane.mongo;

import dev.switchboard.spi.Backplane;
import dev.switchboard.testkit.BackplaneCompatibilityKit;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The backplane contract against a real replica set, named by {@code SWITCHBOARD_TEST_MONGO_URI} (e.g.
 * {@code mongodb://127.0.0.1:27017/?replicaSet=rs0}); skipped when it is not set. Outage tests are
 * skipped: the test does not control that server. Each run uses a fresh namespace.
 */
@EnabledIfEnvironmentVariable(named = "SWITCHBOARD_TEST_MONGO_URI", matches = ".+")
class MongoBackplaneExternalCompatibilityTest extends BackplaneCompatibilityKit {
    private static final String NAMESPACE = "kit-" + UUID.randomUUID().toString().substring(0, 8);

    @Override
    protected Backplane createBackplane() {
        return MongoBackplane.create(MongoBackplaneOptions.builder()
                .connectionString(System.getenv("SWITCHBOARD_TEST_MONGO_URI"))
                .database("switchboard_test")
                .namespace(NAMESPACE)
                .startTimeout(Duration.ofSeconds(10))
                .build());
    }
}
