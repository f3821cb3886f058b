package dev.switchboard.backplane.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Retention;
import dev.switchboard.StreamPosition;
import dev.switchboard.backplane.kafka.internal.TopicNames;
import dev.switchboard.internal.BackplanePipeline;
import dev.switchboard.spi.History;
import dev.switchboard.testkit.Await;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

/**
 * What the Kafka history adds to the kit: a durable topic's Kafka topic has the settings the backplane gives it,
 * and a log that is deleted and created again is a new epoch from offset 1, on the node that appends and on a
 * node that only reads.
 */
class KafkaHistoryEpochTest {

    /** Two started nodes on a namespace of their own, their histories, and an admin client of the same broker. */
    private static final class TwoNodes implements AutoCloseable {
        final String namespace = "epoch-" + UUID.randomUUID().toString().substring(0, 8);
        final Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrap()));
        final BackplanePipeline a;
        final BackplanePipeline b;
        final History ha;
        final History hb;

        TwoNodes() {
            String uri = "kafka://" + KafkaBroker.bootstrap() + "/?namespace=" + namespace;
            a = BackplanePipeline.of(KafkaBackplane.create(uri));
            b = BackplanePipeline.of(KafkaBackplane.create(uri));
            a.start("epoch-a", m -> { });
            b.start("epoch-b", m -> { });
            ha = a.history().orElseThrow();
            hb = b.history().orElseThrow();
        }

        /** @return the Kafka topic that holds a durable topic's history */
        String kafkaTopic(String topic) {
            return TopicNames.history(namespace, topic);
        }

        /** Deletes a durable topic's Kafka topic behind the nodes' backs and waits until the broker no longer lists it. */
        void deleteLog(String topic) throws Exception {
            String kafkaTopic = kafkaTopic(topic);
            admin.deleteTopics(List.of(kafkaTopic)).all().get(30, TimeUnit.SECONDS);
            Await.until(KafkaBroker.timeout(), () -> {
                try {
                    return !admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(kafkaTopic);
                } catch (Exception e) {
                    return false;
                }
            }, "the history topic deleted");
        }

        @Override
        public void close() {
            a.close();
            b.close();
            admin.close();
        }
    }

    private static StreamPosition append(History h, String topic, String text) throws Exception {
        return h.append(topic, text.getBytes(StandardCharsets.UTF_8), Retention.lastMessages(10)).get(30, TimeUnit.SECONDS);
    }

    @Test
    void aRecreatedLogIsANewEpochFromOffsetOne() throws Exception {
        try (TwoNodes nodes = new TwoNodes()) {
            String topic = "orders:42";
            StreamPosition first = null;
            for (int i = 1; i <= 3; i++) {
                first = append(nodes.ha, topic, "m" + i);
            }
            assertThat(first.offset()).isEqualTo(3);
            assertThat(nodes.hb.latest(topic).get(30, TimeUnit.SECONDS)).isEqualTo(first);

            Config config = nodes.admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC,
                    nodes.kafkaTopic(topic)))).all().get(30, TimeUnit.SECONDS).values().iterator().next();
            assertThat(config.get("message.timestamp.type").value()).isEqualTo("LogAppendTime");
            assertThat(config.get("retention.ms").value()).isEqualTo("-1");

            nodes.deleteLog(topic);

            StreamPosition afterRead = nodes.hb.latest(topic).get(30, TimeUnit.SECONDS);
            assertThat(afterRead.epoch()).as("a reader sees the new log").isNotEqualTo(first.epoch());
            assertThat(afterRead.offset()).isZero();
            StreamPosition next = append(nodes.ha, topic, "again");
            assertThat(next).isEqualTo(new StreamPosition(afterRead.epoch(), 1));
        }
    }

    @Test
    void aNodeAppendingToARecreatedLogThatOthersFilledFurtherNamesTheNewEpoch() throws Exception {
        // Found by the chaos soak: a node that knew the old log up to offset 1 appended to the new one at offset
        // 4 (the others had appended 3), took the growing offset for the old log and stamped the old id on it.
        try (TwoNodes nodes = new TwoNodes()) {
            String topic = "orders:43";
            StreamPosition old = append(nodes.ha, topic, "old");
            nodes.deleteLog(topic);
            StreamPosition byB = null;
            for (int i = 1; i <= 3; i++) {
                byB = append(nodes.hb, topic, "new" + i);
            }
            assertThat(byB.epoch()).isNotEqualTo(old.epoch());
            assertThat(byB.offset()).isEqualTo(3);
            StreamPosition byA = append(nodes.ha, topic, "new4");
            assertThat(byA).isEqualTo(new StreamPosition(byB.epoch(), 4));
        }
    }
}
