package dev.switchboard.backplane.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.BackplaneException;
import dev.switchboard.Retention;
import dev.switchboard.StreamPosition;
import dev.switchboard.backplane.kafka.KafkaBackplane;
import dev.switchboard.backplane.kafka.KafkaBackplaneOptions;
import dev.switchboard.backplane.kafka.KafkaBroker;
import dev.switchboard.internal.BackplanePipeline;
import dev.switchboard.spi.HistoryEntry;
import dev.switchboard.spi.HistoryRead;
import dev.switchboard.testkit.Await;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Appends around a broker that comes back empty (the chaos soak's {@code backplane-wipe}), on a broker of the
 * test's own: the epoch an append reports is the id of the log that holds its message, or the append fails.
 */
class KafkaHistoryWipeTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Retention KEEP_10 = Retention.lastMessages(10);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> messages(HistoryRead r) {
        return r.entries().stream().map(HistoryEntry::message).map(m -> new String(m, StandardCharsets.UTF_8)).toList();
    }

    private static long end(Admin admin, String kafkaTopic) {
        TopicPartition tp = new TopicPartition(kafkaTopic, 0);
        try {
            return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get(10, TimeUnit.SECONDS).get(tp).offset();
        } catch (Exception e) {
            return -1;
        }
    }

    private static KafkaBackplane backplane(KafkaBroker broker, String namespace) {
        // Long timeouts: the append waits through the wipe (a JVM formats the log directory, another starts).
        return KafkaBackplane.create(KafkaBackplaneOptions.builder(broker.bootstrapServers()).namespace(namespace)
                .publishTimeout(WAIT).commandTimeout(WAIT).build());
    }

    @Test
    void anAppendAcknowledgedByALogLostBeforeItsIdWasReadFailsInsteadOfNamingTheNewLog() throws Exception {
        // Found by the chaos soak: a node busy enough to read the topic's id only after the broker had come back
        // empty stamped an offset of the lost log with the new log's id. Every node then skipped the new log's
        // offsets up to it as lost, and dropped the messages appended there later as already delivered.
        String namespace = "race-" + UUID.randomUUID().toString().substring(0, 8);
        try (KafkaBroker broker = KafkaBroker.own();
             BackplanePipeline a = BackplanePipeline.of(backplane(broker, namespace));
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            a.start("race-a", m -> { });
            KafkaHistory history = (KafkaHistory) a.history().orElseThrow();
            String topic = "orders";
            String kafkaTopic = TopicNames.history(namespace, topic);
            StreamPosition first = history.append(topic, utf8("m1"), KEEP_10).get(60, TimeUnit.SECONDS);
            assertThat(first.offset()).isEqualTo(1);

            CompletableFuture<Void> resume = new CompletableFuture<>();
            history.holdEpochReads(resume);
            CompletableFuture<StreamPosition> second = history.append(topic, utf8("m2"), KEEP_10);
            Await.until(WAIT, () -> end(admin, kafkaTopic) == 2, "m2 in the log");
            Thread.sleep(500); // the broker's acknowledgement reaches the producer: nothing to wait on
            assertThat(second).as("the append waits for the topic's id").isNotDone();

            broker.wipe();
            resume.complete(null);

            assertThatThrownBy(() -> second.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(BackplaneException.class).hasMessageContaining("not appended");
            HistoryRead now = history.read(topic, 0, 10).get(60, TimeUnit.SECONDS);
            assertThat(now.latest().epoch()).isNotEqualTo(first.epoch());
            assertThat(messages(now)).isEmpty();
            StreamPosition third = history.append(topic, utf8("m3"), KEEP_10).get(60, TimeUnit.SECONDS);
            assertThat(third).isEqualTo(new StreamPosition(now.latest().epoch(), 1));
        }
    }

    @Test
    void anAppendToALogCreatedAgainByTheProducerNamesTheNewLog() throws Exception {
        // The node still knows the lost log's id; the broker creates the topic for the producer (auto.create.topics
        // .enable), so the id read after the acknowledgement differs from the one known before: the append finds
        // its record in the new log and names that.
        String namespace = "recreated-" + UUID.randomUUID().toString().substring(0, 8);
        try (KafkaBroker broker = KafkaBroker.own(true);
             BackplanePipeline a = BackplanePipeline.of(backplane(broker, namespace))) {
            a.start("recreated-a", m -> { });
            KafkaHistory history = (KafkaHistory) a.history().orElseThrow();
            String topic = "audit";
            StreamPosition old = history.append(topic, utf8("old"), KEEP_10).get(60, TimeUnit.SECONDS);
            broker.wipe();
            StreamPosition next = history.append(topic, utf8("new"), KEEP_10).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(next.epoch()).isNotEqualTo(old.epoch());
            assertThat(next.offset()).isEqualTo(1);
            HistoryRead r = history.read(topic, 0, 10).get(60, TimeUnit.SECONDS);
            assertThat(r.latest()).isEqualTo(next);
            assertThat(messages(r)).containsExactly("new");
        }
    }

    @Test
    void aNodeFromBeforeTheWipeAndOneFromAfterBothAppendToOneTopicAndEachMessageIsInTheLogAtItsOffset() throws Exception {
        // Found by the chaos soak: a broker that lost its data hands out producer ids from 0 again, so an idempotent
        // producer made before the loss and one made after held the same id; the broker took the second's first
        // record for a duplicate of the first's, acknowledged it with that one's offset and never wrote it.
        String namespace = "pids-" + UUID.randomUUID().toString().substring(0, 8);
        try (KafkaBroker broker = KafkaBroker.own();
             BackplanePipeline before = BackplanePipeline.of(backplane(broker, namespace))) {
            before.start("pids-before", m -> { });
            KafkaHistory early = (KafkaHistory) before.history().orElseThrow();
            early.append("warm-up", utf8("w"), KEEP_10).get(60, TimeUnit.SECONDS);

            broker.wipe();

            try (BackplanePipeline after = BackplanePipeline.of(backplane(broker, namespace))) {
                after.start("pids-after", m -> { });
                KafkaHistory late = (KafkaHistory) after.history().orElseThrow();
                String topic = "orders";
                StreamPosition byLate = late.append(topic, utf8("late"), KEEP_10).get(60, TimeUnit.SECONDS);
                StreamPosition byEarly = early.append(topic, utf8("early"), KEEP_10).get(60, TimeUnit.SECONDS);
                assertThat(byEarly).isNotEqualTo(byLate);
                HistoryRead r = late.read(topic, 0, 10).get(60, TimeUnit.SECONDS);
                assertThat(messages(r)).containsExactlyInAnyOrder("late", "early");
                assertThat(late.read(topic, byEarly.offset() - 1, 1).get(60, TimeUnit.SECONDS).entries())
                        .extracting(e -> new String(e.message(), StandardCharsets.UTF_8)).containsExactly("early");
            }
        }
    }
}
