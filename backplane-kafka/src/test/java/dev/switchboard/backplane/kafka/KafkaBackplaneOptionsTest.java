package dev.switchboard.backplane.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.backplane.Backplanes;
import dev.switchboard.backplane.kafka.internal.TopicNames;
import dev.switchboard.spi.Backplane;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** URIs, defaults and topic names; no broker needed. */
class KafkaBackplaneOptionsTest {

    @Test
    void readsTheUriFormWithEveryOption() {
        KafkaBackplaneOptions o = KafkaBackplaneOptions.of("kafka://k1:9092,k2:9093/?topic=shop-bus&namespace=shop"
                + "&linger=0ms&fetchMaxWait=50ms&publishTimeout=3s&commandTimeout=PT4S&healthCheckInterval=500ms"
                + "&replicationFactor=3&maxMessageBytes=1048576&kafka.security.protocol=SASL_SSL");
        assertThat(o.bootstrapServers()).isEqualTo("k1:9092,k2:9093");
        assertThat(o.topic()).isEqualTo("shop-bus");
        assertThat(o.namespace()).isEqualTo("shop");
        assertThat(o.linger()).isEqualTo(Duration.ZERO);
        assertThat(o.fetchMaxWait()).isEqualTo(Duration.ofMillis(50));
        assertThat(o.publishTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(o.commandTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(o.backplane().livenessInterval()).as("the shared option, by its old name").isEqualTo(Duration.ofMillis(500));
        assertThat(o.replicationFactor()).isEqualTo((short) 3);
        assertThat(o.maxMessageBytes()).isEqualTo(1 << 20);
        assertThat(o.clientProperties()).isEqualTo(Map.of("security.protocol", "SASL_SSL"));
        assertThat(o.toString()).doesNotContain("SASL");
    }

    @Test
    void hasDocumentedDefaults() {
        KafkaBackplaneOptions o = KafkaBackplaneOptions.of("kafka://127.0.0.1:9092");
        assertThat(o.namespace()).isEqualTo("switchboard");
        assertThat(o.topic()).isEqualTo("switchboard-bus");
        assertThat(o.replicationFactor()).isEqualTo((short) -1);
        assertThat(o.linger()).isEqualTo(Duration.ofMillis(1));
        assertThat(o.fetchMaxWait()).isEqualTo(Duration.ofMillis(100));
        assertThat(o.publishTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.maxMessageBytes()).isEqualTo(8 << 20);
    }

    @Test
    void refusesUnknownOptionsAndBadValues() {
        assertThatThrownBy(() -> KafkaBackplaneOptions.of("kafka://h:9092/?lingerr=1ms"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lingerr");
        assertThatThrownBy(() -> KafkaBackplaneOptions.of("kafka://h:9092/?topic=a:b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topic");
        assertThatThrownBy(() -> KafkaBackplaneOptions.of("kafka://h:9092/?linger=soon"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("linger");
        assertThatThrownBy(() -> KafkaBackplaneOptions.of("kafka:///?topic=x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void backplanesFromUriFindsTheModule() {
        try (Backplane b = Backplanes.fromUri("kafka://127.0.0.1:9092/?namespace=app1")) {
            assertThat(b).isInstanceOf(KafkaBackplane.class);
            assertThat(((KafkaBackplane) b).options().topic()).isEqualTo("app1-bus");
            assertThat(b.history()).as("present before start, as the core asks then").isPresent();
        }
    }

    @Test
    void historyTopicNamesAreLegalAndDistinct() {
        assertThat(TopicNames.history("switchboard", "orders:42")).isEqualTo("switchboard.history.orders_3a42");
        assertThat(TopicNames.history("sb", "a.b")).isNotEqualTo(TopicNames.history("sb", "a_b"));
        String longName = TopicNames.history("sb", "x".repeat(400) + "\u00e9");
        assertThat(longName).hasSizeLessThanOrEqualTo(249).matches("[a-zA-Z0-9._-]+");
        assertThat(longName).isNotEqualTo(TopicNames.history("sb", "x".repeat(401)));
    }
}
