package dev.switchboard.backplane.redis;

import dev.switchboard.internal.BackplanePipeline;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Retention;
import dev.switchboard.StreamPosition;
import dev.switchboard.spi.History;
import dev.switchboard.spi.HistoryEntry;
import dev.switchboard.spi.HistoryRead;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.RecordingListener;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad input and faults against a real Redis started by the test: raw garbage on the channels, a listener
 * that throws, two channel prefixes on one Redis, a Redis that restarts empty (new history epoch), a
 * Redis that is not there at all, a listener too slow for the traffic, and history edge cases.
 */
class RedisBackplaneFaultTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    @RegisterExtension
    static final LocalRedis redis = new LocalRedis();
    private static RedisClient raw;
    private final List<BackplanePipeline> created = new ArrayList<>();
    private final String prefix = "fault-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void startClient() {
        raw = RedisClient.create();
    }

    @AfterAll
    static void stopClient() {
        if (raw != null) {
            raw.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @AfterEach
    void closeBackplanes() {
        created.forEach(BackplanePipeline::close);
    }

    private BackplanePipeline started(String node, java.util.function.Consumer<byte[]> listener, String options) {
        BackplanePipeline b = BackplanePipeline.of(RedisBackplane.create(redis.uri() + "?channelPrefix=" + prefix + options));
        created.add(b);
        b.start(node, listener);
        Await.until(TIMEOUT, () -> b.health().up(), node + " up");
        return b;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void publishRaw(String channel, byte[] message) {
        try (StatefulRedisConnection<byte[], byte[]> c = raw.connect(ByteArrayCodec.INSTANCE, RedisURI.create(redis.uri()))) {
            c.sync().publish(utf8(channel), message);
        }
    }

    @Test
    void garbageOnTheChannelsIsDeliveredAsIsAndLaterMessagesStillArrive() throws Exception {
        BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        BackplanePipeline a = started("a", received::add, "");
        BackplanePipeline b = started("b", m -> { }, "");
        byte[] binary = {(byte) 0xff, 0, (byte) 0xfe, '{', '"'};
        publishRaw(prefix + ":all", binary);
        publishRaw(prefix + ":node:a", utf8("not json at all"));
        publishRaw(prefix + ":all", new byte[0]);
        b.publish(utf8("after the garbage"));
        assertThat(received.poll(20, TimeUnit.SECONDS)).isEqualTo(binary);
        assertThat(received.poll(20, TimeUnit.SECONDS)).isEqualTo(utf8("not json at all"));
        assertThat(received.poll(20, TimeUnit.SECONDS)).isEmpty();
        assertThat(received.poll(20, TimeUnit.SECONDS)).isEqualTo(utf8("after the garbage"));
        assertThat(a.health().up()).isTrue();
    }

    @Test
    void aListenerThatThrowsDoesNotEndTheSubscription() {
        RecordingListener recorded = new RecordingListener();
        AtomicInteger calls = new AtomicInteger();
        started("a", m -> {
            if (calls.incrementAndGet() <= 2) {
                throw new IllegalStateException("listener bug #" + calls.get());
            }
            recorded.accept(m);
        }, "");
        BackplanePipeline b = started("b", m -> { }, "");
        b.publish(utf8("one"));
        b.publish(utf8("two"));
        b.publish(utf8("three"));
        recorded.assertNext("three", TIMEOUT);
        b.publish(utf8("four"));
        recorded.assertNext("four", TIMEOUT);
    }

    @Test
    void twoPrefixesOnOneRedisDoNotSeeEachOther() throws Exception {
        RecordingListener mine = new RecordingListener();
        RecordingListener other = new RecordingListener();
        BackplanePipeline a = started("a", mine, "");
        BackplanePipeline b = started("b", m -> { }, "");
        BackplanePipeline c = BackplanePipeline.of(RedisBackplane.create(redis.uri() + "?channelPrefix=" + prefix + "-other"));
        created.add(c);
        c.start("a", other); // the same node id, under another prefix
        Await.until(TIMEOUT, () -> c.health().up(), "other prefix up");

        b.publish(utf8("broadcast"));
        b.publish("a", utf8("directed"));
        mine.assertNext("broadcast", TIMEOUT);
        mine.assertNext("directed", TIMEOUT);
        c.publish(utf8("from the other app"));
        // The other app received its own broadcast, so it would have received ours by now too.
        other.assertNext("from the other app", TIMEOUT);
        assertThat(other.queued()).isZero();
        b.publish(utf8("marker"));
        mine.assertNext("marker", TIMEOUT);

        History ha = a.history().orElseThrow();
        History hc = c.history().orElseThrow();
        StreamPosition p1 = ha.append("orders", utf8("x"), Retention.lastMessages(5)).get(10, TimeUnit.SECONDS);
        StreamPosition p2 = hc.append("orders", utf8("y"), Retention.lastMessages(5)).get(10, TimeUnit.SECONDS);
        assertThat(p1.offset()).isEqualTo(1);
        assertThat(p2.offset()).isEqualTo(1);
        assertThat(p2.epoch()).isNotEqualTo(p1.epoch());
    }

    @Test
    void aRedisThatRestartsEmptyStartsNewHistoryEpochs() throws Exception {
        BackplanePipeline a = started("a", m -> { }, "");
        History h = a.history().orElseThrow();
        StreamPosition before = h.append("t", utf8("x"), Retention.lastMessages(5)).get(10, TimeUnit.SECONDS);
        h.append("t", utf8("y"), Retention.lastMessages(5)).get(10, TimeUnit.SECONDS);
        redis.server().kill();
        try {
            Await.until(TIMEOUT, () -> !a.health().up(), "down");
            assertThat(h.read("t", 0, 10)).failsWithin(Duration.ofSeconds(2))
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withCauseInstanceOf(dev.switchboard.BackplaneException.class);
        } finally {
            redis.server().start();
        }
        Await.until(TIMEOUT, () -> a.health().up(), "up again");
        HistoryRead after = h.read("t", 0, 10).get(10, TimeUnit.SECONDS);
        assertThat(after.latest().epoch()).isNotEqualTo(before.epoch());
        assertThat(after.latest().offset()).isZero();
        assertThat(after.entries()).isEmpty();
        assertThat(h.append("t", utf8("z"), Retention.lastMessages(5)).get(10, TimeUnit.SECONDS))
                .isEqualTo(new StreamPosition(after.latest().epoch(), 1));
    }

    @Test
    void withoutRedisStartReturnsPromptlyAndPublishDropsAtOnce() {
        int nobody = RedisProcess.freePort();
        BackplanePipeline b = BackplanePipeline.of(RedisBackplane.create("redis://127.0.0.1:" + nobody + "?reconnectDelayMax=200ms"));
        created.add(b);
        long t0 = System.nanoTime();
        b.start("lonely", m -> { });
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        assertThat(b.health().up()).isFalse();
        assertThat(b.health().detail()).contains("connecting to redis://127.0.0.1:" + nobody);
        t0 = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            b.publish(utf8("m" + i));
            b.publish("other", utf8("m" + i));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
        assertThat(b.health().droppedMessages()).isEqualTo(2000);
        assertThat(b.history().orElseThrow().latest("t")).failsWithin(Duration.ofSeconds(1))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(dev.switchboard.BackplaneException.class);
    }

    @Test
    void aListenerTooSlowForTheTrafficLosesMessagesButNotTheSubscription() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        RecordingListener recorded = new RecordingListener();
        BackplanePipeline a = started("a", m -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            recorded.accept(m);
        }, "&maxDeliveryQueueBytes=10000");
        BackplanePipeline b = started("b", m -> { }, "");
        byte[] kb = new byte[1000];
        for (int i = 0; i < 50; i++) {
            b.publish(kb);
        }
        Await.until(TIMEOUT, () -> a.health().detail().contains("received messages dropped"), "overflow reported");
        assertThat(a.health().up()).as("probes bypass the delivery queue").isTrue();
        release.countDown();
        // Until the queue has drained, a new message may still be dropped: publish until one gets through.
        recorded.awaitOneThrough(b::publish, "later", TIMEOUT, Duration.ofMillis(500),
                "a message after the listener caught up");
    }

    @Test
    void historyKeepsTopicsWithBracesApartAndTrimsByAge() throws Exception {
        BackplanePipeline a = started("a", m -> { }, "");
        History h = a.history().orElseThrow();
        for (String topic : List.of("a}b", "a%7Db", "{a}", "%", "caf\u00e9 \u4e16")) {
            assertThat(h.append(topic, utf8(topic), Retention.lastMessages(5)).get(10, TimeUnit.SECONDS).offset())
                    .as(topic).isEqualTo(1);
            assertThat(h.read(topic, 0, 5).get(10, TimeUnit.SECONDS).entries())
                    .extracting(e -> new String(e.message(), StandardCharsets.UTF_8)).containsExactly(topic);
        }
        Retention briefly = Retention.lastMessages(100).maxAge(Duration.ofMillis(1));
        long t0 = System.currentTimeMillis();
        h.append("aging", utf8("old-1"), briefly).get(10, TimeUnit.SECONDS);
        h.append("aging", utf8("old-2"), briefly).get(10, TimeUnit.SECONDS);
        Await.until(TIMEOUT, () -> System.currentTimeMillis() > t0 + 20, "the clock moved on");
        h.append("aging", utf8("new"), briefly).get(10, TimeUnit.SECONDS);
        HistoryRead read = h.read("aging", 0, 10).get(10, TimeUnit.SECONDS);
        assertThat(read.latest().offset()).isEqualTo(3);
        assertThat(read.entries()).extracting(HistoryEntry::offset).containsExactly(3L);
    }
}
