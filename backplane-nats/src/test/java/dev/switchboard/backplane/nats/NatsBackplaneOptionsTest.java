package dev.switchboard.backplane.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.backplane.Backplanes;
import dev.switchboard.spi.Backplane;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class NatsBackplaneOptionsTest {

    @Test
    void defaults() {
        NatsBackplaneOptions o = NatsBackplaneOptions.of("nats://127.0.0.1");
        assertThat(o.servers()).containsExactly("nats://127.0.0.1");
        assertThat(o.streamPrefix()).isEqualTo("switchboard_");
        assertThat(o.replicas()).isEqualTo(1);
        assertThat(o.memoryStorage()).isFalse();
        assertThat(o.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.historyMaxAge()).isNull();
        assertThat(o.historyMaxBytes()).isEqualTo(-1);
        assertThat(o.maxPayload()).isEqualTo(1 << 20);
        assertThat(o.backplane().namespace()).isEqualTo("switchboard");
    }

    @Test
    void bindsItsOwnAndTheSharedOptionsFromTheQuery() {
        NatsBackplaneOptions o = NatsBackplaneOptions.of("nats://u:p%40ss@n1:4222,n2:4223/?namespace=shop.eu"
                + "&replicas=3&storage=memory&historyMaxAge=2h&historyMaxBytes=64m&requestTimeout=750ms"
                + "&tls=true&creds=/etc/nats/app.creds&maxPayload=8m&livenessInterval=2s");
        assertThat(o.servers()).containsExactly("nats://u:p%40ss@n1:4222", "nats://u:p%40ss@n2:4223");
        assertThat(o.endpoint()).isEqualTo("nats://n1:4222,nats://n2:4223");
        assertThat(o.toString()).doesNotContain("p%40ss");
        assertThat(o.backplane().namespace()).isEqualTo("shop.eu");
        assertThat(o.streamPrefix()).as("derived from the namespace, as a stream name allows").isEqualTo("shop_eu_");
        assertThat(o.replicas()).isEqualTo(3);
        assertThat(o.memoryStorage()).isTrue();
        assertThat(o.historyMaxAge()).isEqualTo(Duration.ofHours(2));
        assertThat(o.historyMaxBytes()).isEqualTo(64L << 20);
        assertThat(o.requestTimeout()).isEqualTo(Duration.ofMillis(750));
        assertThat(o.tls()).isTrue();
        assertThat(o.creds()).isEqualTo("/etc/nats/app.creds");
        assertThat(o.maxPayload()).isEqualTo(8 << 20);
        assertThat(o.backplane().livenessInterval()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void refusesWhatItDoesNotKnow() {
        assertThatThrownBy(() -> NatsBackplaneOptions.of("nats://h?stream=x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stream");
        assertThatThrownBy(() -> NatsBackplaneOptions.of("nats://h?storage=disk"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NatsBackplaneOptions.of("nats://h?replicas=7"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NatsBackplaneOptions.of("nats://h?streamPrefix=a.b"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NatsBackplaneOptions.of("nats://h/some/path"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NatsBackplaneOptions.of("redis://h"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theBuilderKeepsAnExplicitStreamPrefix() {
        NatsBackplaneOptions o = NatsBackplaneOptions.builder().servers(List.of("nats://a:4222"))
                .streamPrefix("APP-").build();
        assertThat(o.streamPrefix()).isEqualTo("APP-");
    }

    @Test
    void backplanesFromUriFindsTheFactory() {
        try (Backplane b = Backplanes.fromUri("nats://127.0.0.1:4222?namespace=x")) {
            assertThat(b).isInstanceOf(NatsBackplane.class);
            assertThat(b.name()).isEqualTo("nats");
            assertThat(b.sharedOptions().namespace()).isEqualTo("x");
            assertThat(b.capabilities().durableHistory()).isTrue();
        }
    }
}
