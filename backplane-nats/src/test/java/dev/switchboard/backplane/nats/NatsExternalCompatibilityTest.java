package dev.switchboard.backplane.nats;

import dev.switchboard.spi.Backplane;
import dev.switchboard.testkit.BackplaneCompatibilityKit;
import java.util.UUID;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The backplane contract against the external NATS (with JetStream) named by {@code SWITCHBOARD_TEST_NATS_URL},
 * e.g. {@code nats://127.0.0.1:4222}; skipped when it is not set. The outage tests do not run: the test does
 * not own that server. Each run uses its own namespace and memory-stored streams, so a shared server is fine.
 */
@EnabledIfEnvironmentVariable(named = "SWITCHBOARD_TEST_NATS_URL", matches = ".+")
class NatsExternalCompatibilityTest extends BackplaneCompatibilityKit {
    private final String namespace = "kit-ext-" + UUID.randomUUID().toString().substring(0, 8);

    @Override
    protected Backplane createBackplane() {
        String url = System.getenv("SWITCHBOARD_TEST_NATS_URL");
        return NatsBackplane.create(url + (url.contains("?") ? "&" : "?") + "namespace=" + namespace
                + "&storage=memory&historyMaxAge=1h");
    }
}
