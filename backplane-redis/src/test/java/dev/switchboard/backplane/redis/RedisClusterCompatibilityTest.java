package dev.switchboard.backplane.redis;

import dev.switchboard.internal.BackplanePipeline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.Retention;
import dev.switchboard.StreamPosition;
import dev.switchboard.spi.Backplane;
import dev.switchboard.spi.History;
import dev.switchboard.spi.HistoryRead;
import dev.switchboard.testkit.BackplaneCompatibilityKit;
import dev.switchboard.testkit.RecordingListener;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backplane contract on a Redis Cluster of three masters started by the test, with sharded pub/sub
 * (needs Redis 7+, from the PATH: embedded-redis bundles 6.2). The outage tests kill all three nodes and
 * start them again. Extra tests prove that sharded pub/sub is really used, that classic pub/sub over the
 * cluster works too, and that history topics spread over slots on every master.
 */
class RedisClusterCompatibilityTest extends BackplaneCompatibilityKit {
    @TempDir
    static Path dir;
    private static RedisClusterProcesses cluster;
    private final String prefix = "ck-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void startCluster() {
        RedisBinary binary = RedisBinary.atLeast(7).orElse(null);
        assumeTrue(binary != null, "no redis-server 7+ on the PATH for the Redis Cluster test (sharded pub/sub "
                + "needs Redis 7; embedded-redis bundles 6.2)");
        cluster = new RedisClusterProcesses(binary, dir).create();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    protected Backplane createBackplane() {
        return RedisBackplane.create(cluster.uri() + "?channelPrefix=" + prefix);
    }

    @Override
    protected boolean canRestartServer() {
        return true;
    }

    @Override
    protected void stopServer() {
        cluster.killAll();
    }

    @Override
    protected void startServer() {
        cluster.startAll();
    }

    @Test
    void usesShardedPubSubOnTheMasterOfTheChannelsSlot() {
        Node a = startNode("a");
        awaitUp(a);
        assertThat(a.backplane().health().detail()).contains("sharded");
        String channel = "{" + prefix + "}:all";
        int slot = SlotHash.getSlot(channel);
        RedisProcess owner = cluster.nodes().get(Math.min(slot / (16384 / 3), 2));
        RedisClient client = RedisClient.create();
        try (StatefulRedisConnection<String, String> c = client.connect(RedisURI.create(owner.uri()))) {
            List<String> shardChannels = c.sync().pubsubShardChannels(channel);
            assertThat(shardChannels).as("SSUBSCRIBE'd on the slot's master").containsExactly(channel);
            assertThat(c.sync().pubsubChannels("*" + prefix + "*")).as("no classic subscription").isEmpty();
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Test
    void classicPubSubOverTheClusterDeliversToo() {
        String uri = cluster.uri() + "?channelPrefix=" + prefix + "&pubSubMode=classic";
        BackplanePipeline a = BackplanePipeline.of(RedisBackplane.create(uri));
        BackplanePipeline b = BackplanePipeline.of(RedisBackplane.create(uri));
        RecordingListener received = new RecordingListener();
        try {
            a.start("classic-a", m -> { });
            b.start("classic-b", received);
            dev.switchboard.testkit.Await.until(timeout(), () -> a.health().up() && b.health().up(), "up");
            assertThat(a.health().detail()).contains("classic");
            a.publish("to all".getBytes(StandardCharsets.UTF_8));
            received.awaitMessage("to all", timeout());
            a.publish("classic-b", "to b".getBytes(StandardCharsets.UTF_8));
            received.awaitMessage("to b", timeout());
            long classic = 0;
            long sharded = 0;
            RedisClient client = RedisClient.create();
            try {
                for (RedisProcess node : cluster.nodes()) {
                    try (StatefulRedisConnection<String, String> c = client.connect(RedisURI.create(node.uri()))) {
                        classic += c.sync().pubsubChannels("{" + prefix + "}:*").size();
                        sharded += c.sync().pubsubShardChannels("{" + prefix + "}:*").size();
                    }
                }
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
            assertThat(classic).as("SUBSCRIBE'd channels over the cluster").isGreaterThanOrEqualTo(3);
            assertThat(sharded).as("no shard channels").isZero();
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void historyTopicsSpreadOverTheSlotsOfEveryMaster() throws Exception {
        Node a = startNode("a");
        Node b = startNode("b");
        awaitUp(a, b);
        History ha = a.backplane().history().orElseThrow();
        History hb = b.backplane().history().orElseThrow();
        // Pick topic names whose slots cover every master (4 each), rather than hoping 12 random ones do.
        java.util.List<String> topics = new java.util.ArrayList<>();
        int[] perMaster = new int[3];
        Set<Integer> masters = new HashSet<>();
        for (int n = 0; topics.size() < 12 && n < 10_000; n++) {
            String candidate = "topic-" + n + "-" + prefix;
            int master = Math.min(SlotHash.getSlot(prefix + ":history:{" + candidate + "}") / (16384 / 3), 2);
            if (perMaster[master] < 4) {
                perMaster[master]++;
                masters.add(master);
                topics.add(candidate);
            }
        }
        for (int i = 0; i < topics.size(); i++) {
            String topic = topics.get(i);
            StreamPosition p1 = ha.append(topic, bytes("x" + i), Retention.lastMessages(5)).get(10, TimeUnit.SECONDS);
            StreamPosition p2 = hb.append(topic, bytes("y" + i), Retention.lastMessages(5)).get(10, TimeUnit.SECONDS);
            assertThat(p2).isEqualTo(new StreamPosition(p1.epoch(), 2));
            HistoryRead read = hb.read(topic, 0, 10).get(10, TimeUnit.SECONDS);
            assertThat(read.entries()).extracting(e -> new String(e.message(), StandardCharsets.UTF_8))
                    .containsExactly("x" + i, "y" + i);
        }
        assertThat(masters).as("the topics landed on every master").hasSize(3);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
