package dev.switchboard.backplane.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Audience;
import dev.switchboard.ClusterTrust;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.ClusterFixture;
import dev.switchboard.testkit.InMemoryClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 12, item 9, as the attacker tried it: a plain Redis client that may publish to the backplane's
 * channels (what {@code redis-cli PUBLISH switchboard:all '…'} does) tries to inject an event, a
 * server→client request and raw text, to announce a fake node (which {@code /health} lists from
 * {@code cluster().nodes()}) and to get a cluster query answered on a channel of its own.
 */
class RedisClusterTrustTest {
    private static final String KEY = "redis-trust-test-key-0123456789-abcdefgh";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @RegisterExtension
    static final LocalRedis redis = new LocalRedis();
    private final String prefix = "trust-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<AutoCloseable> closing = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private ClusterFixture cluster(ClusterTrust trust) {
        ClusterFixture f = new ClusterFixture(() -> RedisBackplane.create(redis.uri() + "?channelPrefix=" + prefix),
                prefix, TIMEOUT, trust);
        closing.add(f);
        f.startNode();
        f.startNode();
        f.awaitCluster();
        return f;
    }

    /** What an attacker with publish rights sees and sends. */
    private final class Intruder {
        final List<String> heard = new CopyOnWriteArrayList<>();
        final StatefulRedisConnection<String, String> pub;

        Intruder() {
            RedisClient client = RedisClient.create(redis.uri());
            closing.add(client::shutdown);
            pub = client.connect();
            StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    heard.add(message);
                }
            });
            sub.sync().subscribe(prefix + ":node:intruder");
        }

        void publish(String message) {
            pub.sync().publish(prefix + ":all", message);
        }

        void attack(String user) {
            String audience = "\"audience\":{\"users\":[\"" + user + "\"]}";
            publish("{\"v\":1,\"from\":\"intruder\",\"kind\":\"route\"," + audience
                    + ",\"frame\":\"{\\\"type\\\":\\\"event\\\",\\\"event\\\":\\\"chat.message\\\",\\\"data\\\":\\\"injected\\\"}\"}");
            publish("{\"v\":1,\"from\":\"intruder\",\"kind\":\"route\"," + audience
                    + ",\"frame\":\"{\\\"type\\\":\\\"request\\\",\\\"id\\\":\\\"s-1\\\",\\\"event\\\":\\\"confirm\\\",\\\"data\\\":{}}\"}");
            publish("{\"v\":1,\"from\":\"intruder\",\"kind\":\"route\"," + audience + ",\"frame\":\"<img src=x onerror=alert(1)>\"}");
            publish("{\"v\":1,\"from\":\"intruder\",\"kind\":\"heartbeat\",\"connections\":0}");
            publish("{\"v\":1,\"from\":\"intruder\",\"kind\":\"query\",\"id\":\"intruder:1\",\"query\":\"user\",\"arg\":\"" + user + "\"}");
        }
    }

    @Test
    void withAClusterKeyARawPublishReachesNoClientAddsNoNodeAndGetsNoAnswer() {
        ClusterFixture f = cluster(ClusterTrust.builder().key(KEY).build());
        InMemoryClient alice = f.connect(1, "alice");
        Intruder intruder = new Intruder();
        long before = f.node(1).cluster().untrustedMessages();
        intruder.attack("alice");
        Await.until(TIMEOUT, () -> f.node(1).cluster().untrustedMessages() >= before + 5, "five raw messages dropped");
        f.node(0).to(Audience.user("alice")).emit("chat.message", "real");
        assertThat(f.nextOfType(alice, "event").path("data").asText()).isEqualTo("real");
        f.assertNothingMore(alice);
        for (int i = 0; i < 2; i++) {
            assertThat(f.node(i).cluster().nodes()).doesNotContain("intruder").hasSize(2);
        }
        assertThat(intruder.heard).as("replies to the intruder's query").isEmpty();
        // Signed traffic is not readable as a reply either: nothing was sent to the intruder's channel.
    }

    @Test
    void withoutAKeyOnlyWellFormedEventFramesReachClients() {
        ClusterFixture f = cluster(ClusterTrust.none());
        InMemoryClient bob = f.connect(1, "bob");
        long rejected = f.node(1).cluster().rejectedMessages();
        Intruder intruder = new Intruder();
        intruder.attack("bob");
        Await.until(TIMEOUT, () -> f.node(1).cluster().rejectedMessages() >= rejected + 2,
                "the request frame and the raw text refused");
        // An unauthenticated cluster still routes a well-formed event (docs/security.md): the signature is what stops it.
        assertThat(f.nextOfType(bob, "event").path("data").asText()).isEqualTo("injected");
        f.node(0).to(Audience.user("bob")).emit("chat.message", "real");
        assertThat(f.nextOfType(bob, "event").path("data").asText()).isEqualTo("real");
        f.assertNothingMore(bob);
    }
}
