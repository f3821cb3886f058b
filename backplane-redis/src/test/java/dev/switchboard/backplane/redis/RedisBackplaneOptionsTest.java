package dev.switchboard.backplane.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.backplane.Backplanes;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** URI forms, defaults, query options and validation; no server needed. */
class RedisBackplaneOptionsTest {

    @Test
    void defaults() {
        RedisBackplaneOptions o = RedisBackplaneOptions.of("redis://localhost");
        assertThat(o.topology()).isEqualTo(RedisTopology.STANDALONE);
        assertThat(o.hosts()).containsExactly("localhost:6379");
        assertThat(o.channelPrefix()).isEqualTo("switchboard");
        assertThat(o.pubSubMode()).isEqualTo(RedisPubSubMode.AUTO);
        assertThat(o.publishTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(o.commandTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(o.reconnectDelayMin()).isEqualTo(Duration.ofMillis(100));
        assertThat(o.reconnectDelayMax()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.healthCheckInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(o.startTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.maxPendingCommands()).isEqualTo(100_000);
        assertThat(o.maxDeliveryQueueBytes()).isEqualTo(64L << 20);
        assertThat(o.historyTtl()).isNull();
        assertThat(o.tls()).isFalse();
        assertThat(o.database()).isZero();
    }

    @Test
    void standaloneWithCredentialsDatabaseAndOptions() {
        RedisBackplaneOptions o = RedisBackplaneOptions.of(
                "rediss://app:s%40cret@cache.example:6380/3?channelPrefix=app1&publishTimeout=500ms"
                        + "&commandTimeout=PT3S&historyTtl=1d&maxPendingCommands=10");
        assertThat(o.tls()).isTrue();
        assertThat(o.username()).isEqualTo("app");
        assertThat(o.password()).isEqualTo("s@cret");
        assertThat(o.hosts()).containsExactly("cache.example:6380");
        assertThat(o.database()).isEqualTo(3);
        assertThat(o.channelPrefix()).isEqualTo("app1");
        assertThat(o.publishTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(o.commandTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(o.historyTtl()).isEqualTo(Duration.ofDays(1));
        assertThat(o.maxPendingCommands()).isEqualTo(10);
        assertThat(o.toString()).contains("****").doesNotContain("s@cret");
        assertThat(o.endpoint()).isEqualTo("rediss://cache.example:6380/3");
    }

    @Test
    void passwordOnlyAndIpv6() {
        RedisBackplaneOptions o = RedisBackplaneOptions.of("redis://:pw@[::1]:7000");
        assertThat(o.username()).isNull();
        assertThat(o.password()).isEqualTo("pw");
        assertThat(o.hosts()).containsExactly("[::1]:7000");
    }

    @Test
    void sentinelForms() {
        RedisBackplaneOptions o = RedisBackplaneOptions.of("redis-sentinel://s1,s2:26380/2?sentinelMasterId=mymaster");
        assertThat(o.topology()).isEqualTo(RedisTopology.SENTINEL);
        assertThat(o.hosts()).containsExactly("s1:26379", "s2:26380");
        assertThat(o.sentinelMasterId()).isEqualTo("mymaster");
        assertThat(o.database()).isEqualTo(2);
        assertThat(RedisBackplaneOptions.of("redis-sentinel://s1#other").sentinelMasterId()).isEqualTo("other");
        assertThatThrownBy(() -> RedisBackplaneOptions.of("redis-sentinel://s1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sentinelMasterId");
    }

    @Test
    void clusterForms() {
        RedisBackplaneOptions o = RedisBackplaneOptions.of("redis-cluster://n1:7000,n2:7001,n3?pubSubMode=sharded");
        assertThat(o.topology()).isEqualTo(RedisTopology.CLUSTER);
        assertThat(o.hosts()).containsExactly("n1:7000", "n2:7001", "n3:6379");
        assertThat(o.pubSubMode()).isEqualTo(RedisPubSubMode.SHARDED);
        assertThat(RedisBackplaneOptions.of("rediss-cluster://n1:7000?pubSubMode=CLASSIC").pubSubMode())
                .isEqualTo(RedisPubSubMode.CLASSIC);
        assertThatThrownBy(() -> RedisBackplaneOptions.of("redis-cluster://n1:7000/1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("database");
    }

    @Test
    void rejectsWhatItCannotUse() {
        for (String bad : List.of("redis://h?channelPrefx=x", "redis://h?channelPrefix=a%20b", "redis://h?channelPrefix={x}",
                "redis://h1,h2", "redis://h:99999", "redis://h:port", "http://h", "redis://h?publishTimeout=soon",
                "redis://h?publishTimeout=0", "redis://h?pubSubMode=fast",
                "redis://h?reconnectDelayMin=2s&reconnectDelayMax=1s", "redis://")) {
            assertThatThrownBy(() -> RedisBackplaneOptions.of(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void builderAndToBuilderRoundTrip() {
        RedisBackplaneOptions o = RedisBackplaneOptions.builder().uri("redis://h:1").channelPrefix("sb")
                .healthCheckInterval(Duration.ofMillis(250)).build();
        assertThat(o.toBuilder().build()).isEqualTo(o);
        assertThat(o.toBuilder().channelPrefix("other").build().channelPrefix()).isEqualTo("other");
    }

    @Test
    void theFactoryIsFoundByUriScheme() {
        for (String uri : List.of("redis://127.0.0.1:1", "rediss://h", "redis-sentinel://h#m", "rediss-sentinel://h#m",
                "redis-cluster://h:1", "rediss-cluster://h:1")) {
            assertThat(Backplanes.fromUri(uri)).as(uri).isInstanceOf(RedisBackplane.class);
        }
        assertThat(new RedisBackplaneFactory().supports("postgres://h")).isFalse();
        assertThat(RedisBackplane.create("redis://h:1?channelPrefix=x").options().channelPrefix()).isEqualTo("x");
    }
}
