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

    @Test
    void aRecreatedLogIsANewEpochFromOffsetOne() throws Exception {
        String namespace = "epoch-" + UUID.randomUUID().toString().substring(0, 8);
        String uri = "kafka://" + KafkaBroker.bootstrap() + "/?namespace=" + namespace;
        try (BackplanePipeline a = BackplanePipeline.of(KafkaBackplane.create(uri));
             BackplanePipeline b = BackplanePipeline.of(KafkaBackplane.create(uri));
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrap()))) {
            a.start("epoch-a", m -> { });
            b.start("epoch-b", m -> { });
            History ha = a.history().orElseThrow();
            History hb = b.history().orElseThrow();
            String topic = "orders:42";
            StreamPosition first = null;
            for (int i = 1; i <= 3; i++) {
                first = ha.append(topic, ("m" + i).getBytes(StandardCharsets.UTF_8), Retention.lastMessages(10))
                        .get(30, TimeUnit.SECONDS);
            }
            assertThat(first.offset()).isEqualTo(3);
            assertThat(hb.latest(topic).get(30, TimeUnit.SECONDS)).isEqualTo(first);

            String kafkaTopic = TopicNames.history(namespace, topic);
            Config config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, kafkaTopic)))
                    .all().get(30, TimeUnit.SECONDS).values().iterator().next();
            assertThat(config.get("message.timestamp.type").value()).isEqualTo("LogAppendTime");
            assertThat(config.get("retention.ms").value()).isEqualTo("-1");

            admin.deleteTopics(List.of(kafkaTopic)).all().get(30, TimeUnit.SECONDS);
            Await.until(KafkaBroker.timeout(), () -> {
                try {
                    return !admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(kafkaTopic);
                } catch (Exception e) {
                    return false;
                }
            }, "the history topic deleted");

            StreamPosition afterRead = hb.latest(topic).get(30, TimeUnit.SECONDS);
            assertThat(afterRead.epoch()).as("a reader sees the new log").isNotEqualTo(first.epoch());
            assertThat(afterRead.offset()).isZero();
            StreamPosition next = ha.append(topic, "again".getBytes(StandardCharsets.UTF_8), Retention.lastMessages(10))
                    .get(30, TimeUnit.SECONDS);
            assertThat(next).isEqualTo(new StreamPosition(afterRead.epoch(), 1));
        }
    }

    @Test
    void aNodeAppendingToARecreatedLogThatOthersFilledFurtherNamesTheNewEpoch() throws Exception {
        // Found by the chaos soak: a node that knew the old log up to offset 1 appended to the new one at offset
        // 4 (the others had appended 3), took the growing offset for the old log and stamped the old id on it.
        String namespace = "epoch-" + UUID.randomUUID().toString().substring(0, 8);
        String uri = "kafka://" + KafkaBroker.bootstrap() + "/?namespace=" + namespace;
        try (BackplanePipeline a = BackplanePipeline.of(KafkaBackplane.create(uri));
             BackplanePipeline b = BackplanePipeline.of(KafkaBackplane.create(uri));
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBroker.bootstrap()))) {
            a.start("epoch-a", m -> { });
            b.start("epoch-b", m -> { });
            History ha = a.history().orElseThrow();
            History hb = b.history().orElseThrow();
            String topic = "orders:43";
            StreamPosition old = ha.append(topic, "old".getBytes(StandardCharsets.UTF_8), Retention.lastMessages(10))
                    .get(30, TimeUnit.SECONDS);
            String kafkaTopic = TopicNames.history(namespace, topic);
            admin.deleteTopics(List.of(kafkaTopic)).all().get(30, TimeUnit.SECONDS);
            Await.until(KafkaBroker.timeout(), () -> {
                try {
                    return !admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(kafkaTopic);
                } catch (Exception e) {
                    return false;
                }
            }, "the history topic deleted");
            StreamPosition byB = null;
            for (int i = 1; i <= 3; i++) {
                byB = hb.append(topic, ("new" + i).getBytes(StandardCharsets.UTF_8), Retention.lastMessages(10))
                        .get(30, TimeUnit.SECONDS);
            }
            assertThat(byB.epoch()).isNotEqualTo(old.epoch());
            assertThat(byB.offset()).isEqualTo(3);
            StreamPosition byA = ha.append(topic, "new4".getBytes(StandardCharsets.UTF_8), Retention.lastMessages(10))
                    .get(30, TimeUnit.SECONDS);
            assertThat(byA).isEqualTo(new StreamPosition(byB.epoch(), 4));
        }
    }
}
