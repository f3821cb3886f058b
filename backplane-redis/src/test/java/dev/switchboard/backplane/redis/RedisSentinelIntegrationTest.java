package dev.switchboard.backplane.redis;

import dev.switchboard.internal.BackplanePipeline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.Retention;
import dev.switchboard.StreamPosition;
import dev.switchboard.spi.History;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.RecordingListener;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis Sentinel started by the test: a master, a replica and one sentinel (quorum 1). Two backplanes
 * find the master through the sentinel, exchange messages and share history; then a forced failover
 * ({@code SENTINEL FAILOVER}) promotes the replica, and both backplanes must follow it: messages flow
 * again, the history goes on in the same epoch, and both nodes' connections sit on the new master.
 */
class RedisSentinelIntegrationTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    @TempDir
    static Path dir;
    private static RedisProcess master;
    private static RedisProcess replica;
    private static RedisProcess sentinel;
    private static RedisClient raw;
    private final List<BackplanePipeline> created = new ArrayList<>();
    private final String prefix = "sentinel-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void startSentinel() throws IOException {
        RedisBinary binary = RedisBinary.any().orElse(null);
        assumeTrue(binary != null, "no Redis binary: embedded-redis's does not run here and no redis-server on PATH");
        master = new RedisProcess(binary, dir).start();
        replica = new RedisProcess(binary, dir, "--replicaof", "127.0.0.1", Integer.toString(master.port())).start();
        Files.writeString(dir.resolve("sentinel.conf"), "sentinel monitor mymaster 127.0.0.1 " + master.port() + " 1\n"
                + "sentinel down-after-milliseconds mymaster 1000\nsentinel failover-timeout mymaster 5000\n");
        sentinel = new RedisProcess(binary, dir, "--sentinel").configFile("sentinel.conf").start();
        raw = RedisClient.create();
        Await.until(TIMEOUT, () -> masterPort() == master.port() && replicaKnown(), "sentinel sees the replica");
    }

    @AfterAll
    static void stop() {
        if (raw != null) {
            raw.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        for (RedisProcess p : new RedisProcess[] {sentinel, replica, master}) {
            if (p != null) {
                p.close();
            }
        }
    }

    @AfterEach
    void closeBackplanes() {
        created.forEach(BackplanePipeline::close);
    }

    private static int masterPort() {
        try (StatefulRedisConnection<String, String> c = raw.connect(RedisURI.create(sentinel.uri()))) {
            List<Object> addr = c.sync().dispatch(io.lettuce.core.protocol.CommandType.SENTINEL,
                    new io.lettuce.core.output.ArrayOutput<>(io.lettuce.core.codec.StringCodec.UTF8),
                    new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.StringCodec.UTF8)
                            .add("get-master-addr-by-name").add("mymaster"));
            return Integer.parseInt(String.valueOf(addr.get(1)));
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static boolean replicaKnown() {
        try (StatefulRedisConnection<String, String> c = raw.connect(RedisURI.create(master.uri()))) {
            return c.sync().info("replication").contains("connected_slaves:1");
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static long connectionsOn(RedisProcess server, String node) {
        try (StatefulRedisConnection<String, String> c = raw.connect(RedisURI.create(server.uri()))) {
            return c.sync().clientList().lines().filter(l -> l.contains(" name=switchboard:" + node + " ")).count();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private BackplanePipeline started(String node, RecordingListener listener) {
        BackplanePipeline b = BackplanePipeline.of(RedisBackplane.create("redis-sentinel://127.0.0.1:" + sentinel.port()
                + "?sentinelMasterId=mymaster&channelPrefix=" + prefix + "&reconnectDelayMax=500ms"));
        created.add(b);
        b.start(node, listener);
        Await.until(TIMEOUT, () -> b.health().up(), node + " up");
        return b;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void followsTheMasterThroughAFailover() throws Exception {
        RecordingListener ra = new RecordingListener();
        RecordingListener rb = new RecordingListener();
        BackplanePipeline a = started("sa", ra);
        BackplanePipeline b = started("sb", rb);
        a.publish(utf8("before"));
        rb.awaitMessage("before", TIMEOUT);
        History h = a.history().orElseThrow();
        StreamPosition p1 = h.append("t", utf8("x"), Retention.lastMessages(5)).get(10, TimeUnit.SECONDS);
        try (StatefulRedisConnection<String, String> c = raw.connect(RedisURI.create(master.uri()))) {
            assertThat(c.sync().waitForReplication(1, 5000)).as("replicated before the failover").isEqualTo(1);
        }

        int oldMaster = master.port();
        try (StatefulRedisConnection<String, String> c = raw.connect(RedisURI.create(sentinel.uri()))) {
            c.sync().dispatch(io.lettuce.core.protocol.CommandType.SENTINEL,
                    new io.lettuce.core.output.StatusOutput<>(io.lettuce.core.codec.StringCodec.UTF8),
                    new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.StringCodec.UTF8)
                            .add("failover").add("mymaster"));
        }
        Await.until(TIMEOUT, () -> masterPort() == replica.port(), "sentinel promoted the replica");
        // Sentinel demotes the old master a moment later and drops its clients; the backplanes then ask the
        // sentinel again (or notice role:slave themselves) and reconnect to the new master.
        Await.until(TIMEOUT, () -> connectionsOn(replica, "sa") == 2 && connectionsOn(replica, "sb") == 2,
                "both nodes' pub/sub and command connections moved to the new master");

        // At most once: messages sent while a node moves may be lost, so publish until one gets through.
        rb.awaitOneThrough(a::publish, "after", TIMEOUT, Duration.ofMillis(300),
                "a message from a reaches b through the new master");
        ra.awaitOneThrough(b::publish, "back", TIMEOUT, Duration.ofMillis(300),
                "a message from b reaches a through the new master");
        Await.until(TIMEOUT, () -> a.health().up() && b.health().up(), "both up after the failover");

        StreamPosition p2 = b.history().orElseThrow().append("t", utf8("y"), Retention.lastMessages(5))
                .get(10, TimeUnit.SECONDS);
        assertThat(p2).as("the promoted replica kept the history").isEqualTo(new StreamPosition(p1.epoch(), 2));
        assertThat(connectionsOn(master, "sa")).as("nothing left on the old master").isZero();
        assertThat(oldMaster).isNotEqualTo(replica.port());
    }
}
