package dev.switchboard.backplane.kafka;

import dev.switchboard.internal.BackplanePipeline;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.RecordingListener;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A broker that comes back empty (its log directory lost, as the chaos soak's {@code backplane-wipe}): the bus
 * topic is gone with everything in it. With {@code auto.create.topics.enable} (Kafka's default) the first
 * publish creates it again; without (as many production clusters run) nothing did, and the nodes' publishes
 * failed for good until their own liveness beats, missing, made the core renew the bus, which now creates the
 * topic, assigns it afresh and reads from its end. Runs on a broker of its own.
 */
class KafkaBackplaneWipeTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @ParameterizedTest(name = "auto.create.topics.enable={0}")
    @ValueSource(booleans = {false, true})
    void afterTheBrokerCameBackEmptyTheNodesHearEachOtherAndThemselvesAgain(boolean autoCreateTopics) {
        try (KafkaBroker broker = KafkaBroker.own(autoCreateTopics)) {
            String uri = "kafka://" + broker.bootstrapServers() + "/?namespace=wipe-"
                    + UUID.randomUUID().toString().substring(0, 8);
            RecordingListener toA = new RecordingListener();
            RecordingListener toB = new RecordingListener();
            try (BackplanePipeline a = BackplanePipeline.of(KafkaBackplane.create(uri));
                 BackplanePipeline b = BackplanePipeline.of(KafkaBackplane.create(uri))) {
                a.start("wipe-a", toA);
                b.start("wipe-b", toB);
                Await.until(WAIT, () -> a.health().up() && b.health().up(), "both up");
                toB.awaitOneThrough(a::publish, "before", WAIT, Duration.ofSeconds(2), "a message of a reaching b");

                broker.wipe();

                toB.awaitOneThrough(a::publish, "after", WAIT, Duration.ofSeconds(2),
                        "a message of a reaching b after the wipe");
                toA.awaitOneThrough(b::publish, "after", WAIT, Duration.ofSeconds(2),
                        "a message of b reaching a after the wipe");
                Await.until(WAIT, () -> a.health().up() && b.health().up(),
                        "both up again (their own beats come back): " + a.health() + ", " + b.health());
            }
        }
    }
}
