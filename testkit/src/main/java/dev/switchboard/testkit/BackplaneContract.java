package dev.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.switchboard.Retention;
import dev.switchboard.StreamPosition;
import dev.switchboard.internal.BackplanePipeline;
import dev.switchboard.spi.Backplane;
import dev.switchboard.spi.History;
import dev.switchboard.spi.HistoryEntry;
import dev.switchboard.spi.HistoryRead;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The byte-level half of {@link BackplaneCompatibilityKit}: the {@link Backplane} and {@link History}
 * contract, with each backplane run through the core's pipeline ({@link BackplanePipeline}: queues,
 * batches, liveness beats, health) exactly as a Switchboard node runs it — delivery to every other node, directed delivery, order per publisher, large messages,
 * health, close, durable-topic history (consecutive offsets under concurrent appends from several
 * nodes, stable epochs, reads after an offset, retention) and, where the test controls the server,
 * outages (down at start, a restart mid-stream). Extend {@link BackplaneCompatibilityKit}, not this.
 */
public abstract class BackplaneContract {
    private final List<BackplanePipeline> created = new ArrayList<>();
    /** Makes node ids, topics and messages unique to this test run (servers may be shared). */
    protected final String run = UUID.randomUUID().toString().substring(0, 8);

    /**
     * @return a new, unstarted backplane connected to the same server (or medium) as every other one
     *     this method returns during a test
     */
    protected abstract Backplane createBackplane();

    /** @return true when {@link #stopServer()} and {@link #startServer()} work (outage tests run) */
    protected boolean canRestartServer() {
        return false;
    }

    /** Stops the backplane's server (kills it, as a crash would). @throws Exception if it cannot */
    protected void stopServer() throws Exception {
        throw new UnsupportedOperationException("this backplane's test cannot stop its server");
    }

    /** Starts the backplane's server again on the same address. @throws Exception if it cannot */
    protected void startServer() throws Exception {
        throw new UnsupportedOperationException("this backplane's test cannot start its server");
    }

    /** @return how long a delivery, a reconnect or a history call may take (default 20 s) */
    protected Duration timeout() {
        return Duration.ofSeconds(20);
    }

    /** @return the size of the large message test (default 1 MiB) */
    protected int largeMessageBytes() {
        return 1 << 20;
    }

    @AfterEach
    void closeBackplanes() {
        for (BackplanePipeline b : created) {
            try {
                b.close();
            } catch (RuntimeException e) {
                // keep closing the others
            }
        }
        created.clear();
    }

    /**
     * A started backplane, wrapped in the core's pipeline as a Switchboard node wraps it, and what it
     * received.
     */
    protected record Node(String id, BackplanePipeline backplane, RecordingListener received) { }

    /**
     * Creates and starts a node's backplane, without waiting for it to be up.
     *
     * @param name a short name, made unique per test run
     * @return the node
     */
    protected Node startNode(String name) {
        return startNode(name, dev.switchboard.ClusterTrust.none());
    }

    /**
     * Creates and starts a node's backplane that signs with a key, without waiting for it to be up.
     *
     * @param name a short name, made unique per test run
     * @param trust the node's cluster keys
     * @return the node
     */
    protected Node startNode(String name, dev.switchboard.ClusterTrust trust) {
        BackplanePipeline b = BackplanePipeline.of(createBackplane(), trust);
        created.add(b);
        RecordingListener listener = new RecordingListener();
        String id = "kit-" + name + "-" + run;
        b.start(id, listener);
        return new Node(id, b, listener);
    }

    /** @param nodes nodes that must all report up within {@link #timeout()} */
    protected void awaitUp(Node... nodes) {
        for (Node n : nodes) {
            Await.until(timeout(), () -> n.backplane().health().up(), n.id() + " up");
        }
    }

    private Node[] started(String... names) {
        Node[] nodes = new Node[names.length];
        for (int i = 0; i < names.length; i++) {
            nodes[i] = startNode(names[i]);
        }
        awaitUp(nodes);
        return nodes;
    }

    /** @param what a name @return it, unique to this test run */
    protected String unique(String what) {
        return what + "-" + run + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    /** @param s a string @return its UTF-8 bytes */
    protected static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ---- pub/sub ----

    @Test
    void publishReachesEveryOtherNode() {
        Node[] n = started("a", "b", "c");
        String m = unique("hello \u00e9\u4e16\u754c");
        n[0].backplane().publish(utf8(m));
        n[1].received().awaitMessage(m, timeout());
        n[2].received().awaitMessage(m, timeout());
    }

    @Test
    void directedPublishReachesItsNode() {
        Node[] n = started("a", "b", "c");
        String m = unique("for-b");
        n[0].backplane().publish(n[1].id(), utf8(m));
        n[1].received().awaitMessage(m, timeout());
    }

    @Test
    void keepsPublishOrderOfOneNode() {
        Node[] n = started("a", "b");
        String prefix = unique("seq");
        for (int i = 0; i < 300; i++) {
            n[0].backplane().publish(utf8(prefix + ":" + i));
        }
        int expected = 0;
        while (expected < 300) {
            String got = n[1].received().next(timeout());
            if (got.startsWith(prefix + ":")) {
                assertThat(got).isEqualTo(prefix + ":" + expected);
                expected++;
            }
        }
    }

    @Test
    void deliversLargeMessagesIntact() {
        Node[] n = started("a", "b");
        StringBuilder sb = new StringBuilder(unique("large")).append(':');
        String pattern = "0123456789abcdef\u00e9\u4e16";
        while (sb.length() * 3 < largeMessageBytes()) {
            sb.append(pattern);
        }
        String m = sb.toString();
        n[0].backplane().publish(utf8(m));
        n[1].received().awaitMessage(m, timeout());
    }

    @Test
    void reportsHealthWithAName() {
        Node[] n = started("a");
        assertThat(n[0].backplane().health().up()).isTrue();
        assertThat(n[0].backplane().health().name()).isNotBlank();
        assertThat(n[0].backplane().isLocalOnly()).isFalse();
    }

    @Test
    void closeIsIdempotentAndStopsDelivery() {
        Node[] n = started("a", "b", "c");
        n[1].backplane().close();
        assertThatCode(() -> n[1].backplane().close()).doesNotThrowAnyException();
        String m = unique("after-close");
        n[0].backplane().publish(utf8(m));
        n[2].received().awaitMessage(m, timeout());
        // c got it, so b would have by now if it still listened (same server, same moment).
        n[1].received().clear();
        n[0].backplane().publish(utf8(m + "-2"));
        n[2].received().awaitMessage(m + "-2", timeout());
        assertThat(n[1].received().queued()).isZero();
    }

    // ---- history ----

    private History history(Node node) {
        assumeTrue(node.backplane().history().isPresent(), "this backplane has no history store");
        return node.backplane().history().get();
    }

    private <T> T get(CompletableFuture<T> f) {
        try {
            return f.get(timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("history call failed", e);
        }
    }

    @Test
    void historyAssignsConsecutiveOffsetsInOneEpoch() {
        Node[] n = started("a");
        History h = history(n[0]);
        String topic = unique("t");
        StreamPosition before = get(h.latest(topic));
        assertThat(before.offset()).isZero();
        StreamPosition p1 = get(h.append(topic, utf8("one"), Retention.lastMessages(10)));
        StreamPosition p2 = get(h.append(topic, utf8("two"), Retention.lastMessages(10)));
        assertThat(p1).isEqualTo(new StreamPosition(before.epoch(), 1));
        assertThat(p2).isEqualTo(new StreamPosition(before.epoch(), 2));
        assertThat(get(h.latest(topic))).isEqualTo(p2);
    }

    @Test
    void historyReadsAfterAnOffsetInOrder() {
        Node[] n = started("a");
        History h = history(n[0]);
        String topic = unique("t");
        long now = System.currentTimeMillis();
        for (int i = 1; i <= 5; i++) {
            get(h.append(topic, utf8("m" + i + " \u00e9"), Retention.lastMessages(10)));
        }
        HistoryRead read = get(h.read(topic, 2, 100));
        assertThat(read.latest().offset()).isEqualTo(5);
        assertThat(read.entries()).extracting(HistoryEntry::offset).containsExactly(3L, 4L, 5L);
        assertThat(read.entries()).extracting(e -> new String(e.message(), StandardCharsets.UTF_8))
                .containsExactly("m3 \u00e9", "m4 \u00e9", "m5 \u00e9");
        assertThat(read.entries()).allSatisfy(e ->
                assertThat(e.timestampMillis()).isBetween(now - 60_000, now + 60_000));
        assertThat(get(h.read(topic, 0, 2)).entries()).extracting(HistoryEntry::offset).containsExactly(1L, 2L);
        assertThat(get(h.read(topic, 5, 100)).entries()).isEmpty();
        assertThat(get(h.read(topic, Long.MAX_VALUE, 0)).entries()).isEmpty();
    }

    @Test
    void historyKeepsOnlyTheRetainedCount() {
        Node[] n = started("a");
        History h = history(n[0]);
        String topic = unique("t");
        for (int i = 1; i <= 7; i++) {
            get(h.append(topic, utf8("m" + i), Retention.lastMessages(3)));
        }
        HistoryRead read = get(h.read(topic, 0, 100));
        assertThat(read.latest().offset()).isEqualTo(7);
        assertThat(read.entries()).extracting(HistoryEntry::offset).containsExactly(5L, 6L, 7L);
    }

    @Test
    void historyIsSharedByNodesAndTopicsAreIndependent() {
        Node[] n = started("a", "b");
        History a = history(n[0]);
        History b = history(n[1]);
        String t1 = unique("t1");
        String t2 = unique("t2");
        StreamPosition p = get(a.append(t1, utf8("x"), Retention.lastMessages(5)));
        assertThat(get(b.latest(t1))).isEqualTo(p);
        assertThat(get(b.append(t1, utf8("y"), Retention.lastMessages(5)))).isEqualTo(
                new StreamPosition(p.epoch(), 2));
        assertThat(get(b.append(t2, utf8("z"), Retention.lastMessages(5))).offset()).isEqualTo(1);
        assertThat(get(a.read(t1, 0, 10)).entries()).extracting(e -> new String(e.message(), StandardCharsets.UTF_8))
                .containsExactly("x", "y");
    }

    @Test
    void concurrentAppendsFromSeveralNodesGetEveryOffsetOnce() throws Exception {
        Node[] n = started("a", "b");
        History a = history(n[0]);
        History b = history(n[1]);
        String topic = unique("t");
        int perNode = 100;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<StreamPosition>> futures = new ArrayList<>();
            for (int i = 0; i < perNode; i++) {
                int k = i;
                futures.add(pool.submit(() -> get(a.append(topic, utf8("a" + k), Retention.lastMessages(1000)))));
                futures.add(pool.submit(() -> get(b.append(topic, utf8("b" + k), Retention.lastMessages(1000)))));
            }
            Set<Long> offsets = new HashSet<>();
            Set<String> epochs = new HashSet<>();
            for (Future<StreamPosition> f : futures) {
                StreamPosition p = f.get(timeout().toMillis(), TimeUnit.MILLISECONDS);
                offsets.add(p.offset());
                epochs.add(p.epoch());
            }
            assertThat(epochs).hasSize(1);
            assertThat(offsets).hasSize(2 * perNode);
            assertThat(offsets).allSatisfy(o -> assertThat(o).isBetween(1L, 2L * perNode));
            HistoryRead read = get(a.read(topic, 0, 1000));
            assertThat(read.entries()).hasSize(2 * perNode);
            for (int i = 0; i < read.entries().size(); i++) {
                assertThat(read.entries().get(i).offset()).isEqualTo(i + 1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- outages ----

    @Test
    void startsWhileTheServerIsDownAndConnectsWhenItComes() throws Exception {
        assumeTrue(canRestartServer(), "the test cannot restart this backplane's server");
        Node a = started("a")[0];
        Node b;
        stopServer();
        try {
            long t0 = System.nanoTime();
            b = startNode("b");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("start with the server down")
                    .isLessThan(Duration.ofSeconds(10));
            assertThat(b.backplane().health().up()).isFalse();
            assertThat(b.backplane().health().detail()).isNotBlank();
        } finally {
            startServer();
        }
        awaitUp(a, b);
        String m = unique("after-start");
        b.backplane().publish(utf8(m));
        a.received().awaitMessage(m, timeout());
        String back = unique("back");
        a.backplane().publish(utf8(back));
        b.received().awaitMessage(back, timeout());
    }

    @Test
    void survivesAServerRestartMidStream() throws Exception {
        assumeTrue(canRestartServer(), "the test cannot restart this backplane's server");
        Node[] n = started("a", "b");
        String before = unique("before");
        n[0].backplane().publish(utf8(before));
        n[1].received().awaitMessage(before, timeout());
        String topic = unique("t-restart");
        StreamPosition written = n[0].backplane().history().isPresent()
                ? get(n[0].backplane().history().get().append(topic, utf8("x"), Retention.lastMessages(5)))
                : null;

        stopServer();
        try {
            Await.until(timeout(), () -> !n[0].backplane().health().up(), "health down after the server stopped");
            long dropped = n[0].backplane().health().droppedMessages();
            long t0 = System.nanoTime();
            boolean threw = false;
            try {
                n[0].backplane().publish(utf8(unique("during")));
            } catch (RuntimeException e) {
                threw = true;
            }
            assertThat(Duration.ofNanos(System.nanoTime() - t0))
                    .as("publish during an outage must not block").isLessThan(Duration.ofSeconds(2));
            if (!threw) {
                Await.until(timeout(), () -> n[0].backplane().health().droppedMessages() > dropped,
                        "a message published during the outage counted as dropped");
            }
        } finally {
            startServer();
        }
        awaitUp(n);
        String after = unique("after");
        n[0].backplane().publish(utf8(after));
        n[1].received().awaitMessage(after, timeout());
        n[0].received().clear();
        String back = unique("back");
        n[1].backplane().publish(utf8(back));
        n[0].received().awaitMessage(back, timeout());

        if (written != null) {
            // The history either survived (same epoch, offsets go on) or was lost (a new epoch from 1).
            History h = n[1].backplane().history().get();
            StreamPosition p = get(h.append(topic, utf8("y"), Retention.lastMessages(5)));
            if (p.epoch().equals(written.epoch())) {
                assertThat(p.offset()).isEqualTo(written.offset() + 1);
            } else {
                assertThat(p.offset()).isEqualTo(1);
            }
        }
    }
}
