package dev.switchboard.backplane.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.backplane.Backplanes;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Options: defaults, URI settings, validation, the factory. */
class MongoBackplaneOptionsTest {

    @Test
    void hasDocumentedDefaults() {
        MongoBackplaneOptions o = MongoBackplaneOptions.of("mongodb://h1,h2/?replicaSet=rs0");
        assertThat(o.database()).isEqualTo("switchboard");
        assertThat(o.namespace()).isEqualTo("switchboard");
        assertThat(o.messagesCollection()).isEqualTo("switchboard_messages");
        assertThat(o.messageTtl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(o.cappedBytes()).isZero();
        assertThat(o.publishQueue()).isEqualTo(10_000);
        assertThat(o.startTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void readsItsSettingsFromTheUriAndHidesThemFromTheDriver() {
        MongoBackplaneOptions o = MongoBackplaneOptions.fromUri("mongodb://u:secret@h1:27017/appdb?replicaSet=rs0"
                + "&switchboardNamespace=shop&switchboardCollection=msgs&switchboardCappedBytes=134217728"
                + "&SwitchboardQueue=50&switchboardStartTimeoutMs=1500");
        assertThat(o.connectionString()).isEqualTo("mongodb://u:secret@h1:27017/appdb?replicaSet=rs0");
        assertThat(o.database()).isEqualTo("appdb");
        assertThat(o.namespace()).isEqualTo("shop");
        assertThat(o.messagesCollection()).isEqualTo("msgs");
        assertThat(o.cappedBytes()).isEqualTo(128L << 20);
        assertThat(o.messageTtl()).isNull();
        assertThat(o.publishQueue()).isEqualTo(50);
        assertThat(o.startTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(o.describeServer()).doesNotContain("secret");
        assertThat(MongoBackplaneOptions.fromUri("mongodb://h/?switchboardDatabase=other&switchboardTtlSeconds=5")
                .messageTtl()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void refusesBadSettings() {
        assertThatThrownBy(() -> MongoBackplaneOptions.fromUri("mongodb://h/?switchboardNamspace=typo"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("switchboardnamspace");
        assertThatThrownBy(() -> MongoBackplaneOptions.fromUri("redis://h")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MongoBackplaneOptions.fromUri("mongodb://h/?switchboardQueue=lots"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("switchboardQueue");
        assertThatThrownBy(() -> MongoBackplaneOptions.builder().build())
                .hasMessageContaining("connectionString");
        assertThatThrownBy(() -> MongoBackplaneOptions.builder().connectionString("mongodb://h").capped(1024).build())
                .hasMessageContaining("cappedBytes");
        assertThatThrownBy(() -> MongoBackplaneOptions.builder().connectionString("mongodb://h").database("a.b").build())
                .hasMessageContaining("database");
    }

    @Test
    void isFoundByUriThroughTheServiceLoader() {
        assertThat(Backplanes.fromUri("mongodb://127.0.0.1:1/?switchboardNamespace=x")).isInstanceOf(MongoBackplane.class)
                .satisfies(b -> b.close());
    }
}
