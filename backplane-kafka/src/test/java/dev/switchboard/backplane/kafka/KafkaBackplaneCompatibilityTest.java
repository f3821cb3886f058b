package dev.switchboard.backplane.kafka;

import dev.switchboard.spi.Backplane;
import dev.switchboard.testkit.BackplaneCompatibilityKit;
import java.time.Duration;
import java.util.UUID;

/**
 * The whole backplane contract against the real KRaft broker the tests start ({@link KafkaBroker}); the outage
 * tests kill it with SIGKILL and start it again on the same data directory and port. With
 * {@code SWITCHBOARD_TEST_KAFKA_BOOTSTRAP} the kit runs against that broker instead, without the outage tests.
 */
class KafkaBackplaneCompatibilityTest extends BackplaneCompatibilityKit {
    private final String namespace = "kit-" + UUID.randomUUID().toString().substring(0, 8);

    @Override
    protected Backplane createBackplane() {
        return KafkaBackplane.create("kafka://" + KafkaBroker.bootstrap() + "/?namespace=" + namespace);
    }

    @Override
    protected boolean canRestartServer() {
        return KafkaBroker.owned();
    }

    @Override
    protected void stopServer() {
        KafkaBroker.shared().kill();
    }

    @Override
    protected void startServer() {
        KafkaBroker.shared().start();
    }

    @Override
    protected Duration timeout() {
        return Duration.ofSeconds(30);
    }
}
