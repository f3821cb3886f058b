package dev.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Audience;
import dev.switchboard.ClusterAnswer;
import dev.switchboard.ConnectionInfo;
import dev.switchboard.Retention;
import dev.switchboard.StreamPosition;
import dev.switchboard.spi.Backplane;
import dev.switchboard.spi.History;
import dev.switchboard.spi.HistoryEntry;
import dev.switchboard.spi.HistoryRead;
import dev.switchboard.transport.InMemoryClient;
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
 * The contract of {@link Backplane} and {@link History}, as one abstract JUnit class that every
 * backplane's tests extend: delivery to every other node, directed delivery, order per publisher,
 * large messages, health, close, and the durable-topic history (consecutive offsets under concurrent
 * appends from several nodes, stable epochs, reads after an offset, retention). Backplanes whose
 * server the test controls also prove outage behaviour: down at start, and a restart mid-stream. Then
 * three Switchboard nodes on the backplane ({@link ClusterFixture}) prove what users see: every
 * audience routed across nodes exactly once per connection, durable topics recovered on another node
 * with no gap and no duplicate (or {@code recovered:false}), last-value topics, cluster membership and
 * queries with partial answers naming a dead node, and garbage on the backplane refused and counted.
 *
 * <pre>{@code
 * class RedisBackplaneCompatibilityTest extends BackplaneCompatibilityKit {
 *     protected Backplane createBackplane() { return RedisBackplane.create(options); }
 * }
 * }</pre>
 */
public abstract class BackplaneCompatibilityKit {
    private final List<Backplane> created = new ArrayList<>();
    private final List<ClusterFixture> fixtures = new ArrayList<>();
    private final String run = UUID.randomUUID().toString().substring(0, 8);

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
        for (Backplane b : created) {
            try {
                b.close();
            } catch (RuntimeException e) {
                // keep closing the others
            }
        }
        created.clear();
    }

    /** A started backplane and what it received. */
    protected record Node(String id, Backplane backplane, RecordingListener received) { }

    /**
     * Creates and starts a node's backplane, without waiting for it to be up.
     *
     * @param name a short name, made unique per test run
     * @return the node
     */
    protected Node startNode(String name) {
        Backplane b = createBackplane();
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

    private String unique(String what) {
        return what + "-" + run + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    private static byte[] utf8(String s) {
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

    // ---- three Switchboard nodes on this backplane ----

    /** @return three started nodes that know each other, closed after the test */
    protected ClusterFixture cluster(int nodes) {
        ClusterFixture f = new ClusterFixture(this::createBackplane, run, timeout());
        fixtures.add(f);
        for (int i = 0; i < nodes; i++) {
            f.startNode();
        }
        f.awaitCluster();
        return f;
    }

    @AfterEach
    void closeFixtures() {
        fixtures.forEach(ClusterFixture::close);
        fixtures.clear();
    }

    private static String dataOf(JsonNode eventFrame) {
        return eventFrame.path("data").asText();
    }

    @Test
    void routesEveryAudienceAcrossNodesExactlyOncePerConnection() {
        ClusterFixture f = cluster(3);
        InMemoryClient aliceOn0 = f.connect(0, "alice;roles=admin;orgs=acme");
        InMemoryClient aliceOn1 = f.connect(1, "alice;roles=admin;orgs=acme");
        InMemoryClient bobOn2 = f.connect(2, "bob;roles=viewer;orgs=acme");
        InMemoryClient carolOn1 = f.connect(1, "carol;roles=admin;orgs=globex");
        List<InMemoryClient> all = List.of(aliceOn0, aliceOn1, bobOn2, carolOn1);
        for (InMemoryClient c : List.of(aliceOn0, bobOn2, carolOn1)) {
            f.subscribe(c, "room", null);
        }

        f.node(2).to(Audience.user("alice")).emit("dm", "to alice");
        assertThat(dataOf(f.nextOfType(aliceOn0, "event"))).isEqualTo("to alice");
        assertThat(dataOf(f.nextOfType(aliceOn1, "event"))).isEqualTo("to alice");

        f.node(0).to(Audience.topic("room")).emit("say", "in room");
        for (InMemoryClient c : List.of(aliceOn0, bobOn2, carolOn1)) {
            JsonNode e = f.nextOfType(c, "event");
            assertThat(dataOf(e)).isEqualTo("in room");
            assertThat(e.path("topic").asText()).isEqualTo("room");
        }

        f.node(1).to(Audience.organisations("acme").roles("admin")).emit("notice", "acme admins");
        assertThat(dataOf(f.nextOfType(aliceOn0, "event"))).isEqualTo("acme admins");
        assertThat(dataOf(f.nextOfType(aliceOn1, "event"))).isEqualTo("acme admins");

        f.node(2).to(Audience.withRoles("admin")).emit("notice", "all admins");
        assertThat(dataOf(f.nextOfType(aliceOn0, "event"))).isEqualTo("all admins");
        assertThat(dataOf(f.nextOfType(aliceOn1, "event"))).isEqualTo("all admins");
        assertThat(dataOf(f.nextOfType(carolOn1, "event"))).isEqualTo("all admins");

        f.node(0).to(Audience.everyone().exceptUsers("carol")).emit("all", "everyone but carol");
        for (InMemoryClient c : List.of(aliceOn0, aliceOn1, bobOn2)) {
            assertThat(dataOf(f.nextOfType(c, "event"))).isEqualTo("everyone but carol");
        }
        for (InMemoryClient c : all) {
            f.assertNothingMore(c);
        }
    }

    @Test
    void recoversADurableTopicOnAnotherNodeWithNoGapAndNoDuplicate() {
        ClusterFixture f = cluster(3);
        String topic = "durable:" + unique("orders");
        InMemoryClient first = f.connect(0, "dave");
        JsonNode sub = f.subscribe(first, topic, null);
        assertThat(sub.path("recovered").asBoolean()).isFalse();
        String epoch = sub.path("epoch").asText();
        assertThat(epoch).isNotBlank();
        long start = sub.path("offset").asLong();
        for (int i = 1; i <= 3; i++) {
            f.node(1).to(Audience.topic(topic)).emit("order", "m" + i);
        }
        long last = 0;
        for (int i = 1; i <= 3; i++) {
            JsonNode e = f.nextOfType(first, "event");
            assertThat(dataOf(e)).isEqualTo("m" + i);
            assertThat(e.path("offset").asLong()).isEqualTo(start + i);
            last = e.path("offset").asLong();
        }
        first.close();

        for (int i = 4; i <= 6; i++) {
            f.node(2).to(Audience.topic(topic)).emit("order", "m" + i);
        }
        InMemoryClient back = f.connect(1, "dave");
        JsonNode resumed = f.subscribe(back, topic, "{\"offset\":" + last + ",\"epoch\":\"" + epoch + "\"}");
        assertThat(resumed.path("recovered").asBoolean()).isTrue();
        assertThat(resumed.path("epoch").asText()).isEqualTo(epoch);
        assertThat(resumed.path("offset").asLong()).isEqualTo(last + 3);
        for (int i = 4; i <= 6; i++) {
            JsonNode e = f.nextOfType(back, "event");
            assertThat(dataOf(e)).isEqualTo("m" + i);
            assertThat(e.path("offset").asLong()).isEqualTo(start + i);
        }
        f.node(0).to(Audience.topic(topic)).emit("order", "m7");
        JsonNode live = f.nextOfType(back, "event");
        assertThat(dataOf(live)).isEqualTo("m7");
        assertThat(live.path("offset").asLong()).isEqualTo(start + 7);
        f.assertNothingMore(back);
    }

    @Test
    void answersRecoveredFalseWhenTheHistoryNoLongerReachesBack() {
        ClusterFixture f = cluster(2);
        String topic = "short:" + unique("ticks");
        InMemoryClient c = f.connect(0, "erin");
        JsonNode sub = f.subscribe(c, topic, null);
        String epoch = sub.path("epoch").asText();
        for (int i = 1; i <= 6; i++) {
            f.node(1).to(Audience.topic(topic)).emit("tick", i);
        }
        for (int i = 1; i <= 6; i++) {
            f.nextOfType(c, "event");
        }
        c.close();

        // Retention 3: offsets 1..3 are gone, so resuming after offset 1 cannot be recovered.
        InMemoryClient tooOld = f.connect(1, "erin");
        JsonNode r1 = f.subscribe(tooOld, topic, "{\"offset\":1,\"epoch\":\"" + epoch + "\"}");
        assertThat(r1.path("recovered").asBoolean()).isFalse();
        assertThat(r1.path("offset").asLong()).isEqualTo(6);
        InMemoryClient otherEpoch = f.connect(1, "erin");
        JsonNode r2 = f.subscribe(otherEpoch, topic, "{\"offset\":5,\"epoch\":\"not-" + epoch + "\"}");
        assertThat(r2.path("recovered").asBoolean()).isFalse();
        InMemoryClient beyond = f.connect(0, "erin");
        JsonNode r3 = f.subscribe(beyond, topic, "{\"offset\":99,\"epoch\":\"" + epoch + "\"}");
        assertThat(r3.path("recovered").asBoolean()).isFalse();
        InMemoryClient recent = f.connect(0, "erin");
        JsonNode r4 = f.subscribe(recent, topic, "{\"offset\":4,\"epoch\":\"" + epoch + "\"}");
        assertThat(r4.path("recovered").asBoolean()).isTrue();
        assertThat(f.nextOfType(recent, "event").path("offset").asLong()).isEqualTo(5);
        assertThat(f.nextOfType(recent, "event").path("offset").asLong()).isEqualTo(6);

        f.node(1).to(Audience.topic(topic)).emit("tick", 7);
        for (InMemoryClient x : List.of(tooOld, otherEpoch, beyond, recent)) {
            JsonNode e = f.nextOfType(x, "event");
            assertThat(e.path("offset").asLong()).isEqualTo(7);
            f.assertNothingMore(x);
        }
    }

    @Test
    void aLateSubscriberOfALastValueTopicGetsTheLastMessageAtOnce() {
        ClusterFixture f = cluster(2);
        String topic = "lv:" + unique("price");
        f.node(0).to(Audience.topic(topic)).emit("price", 100);
        f.node(1).to(Audience.topic(topic)).emit("price", 101);
        InMemoryClient late = f.connect(1, "frank");
        JsonNode sub = f.subscribe(late, topic, null);
        assertThat(sub.path("offset").asLong()).isEqualTo(2);
        JsonNode last = f.nextOfType(late, "event");
        assertThat(last.path("data").asInt()).isEqualTo(101);
        assertThat(last.path("offset").asLong()).isEqualTo(2);
        f.node(0).to(Audience.topic(topic)).emit("price", 102);
        assertThat(f.nextOfType(late, "event").path("data").asInt()).isEqualTo(102);
        f.assertNothingMore(late);
    }

    @Test
    void knowsTheLiveNodesAndAnswersClusterQueries() throws Exception {
        ClusterFixture f = cluster(3);
        InMemoryClient a = f.connect(0, "gina");
        InMemoryClient b = f.connect(2, "gina");
        f.connect(1, "hank");
        f.subscribe(a, "lobby", null);
        f.subscribe(b, "lobby", null);

        ClusterAnswer<Long> count = f.node(1).cluster().connectionCount().get(10, TimeUnit.SECONDS);
        assertThat(count.complete()).isTrue();
        assertThat(count.value()).isEqualTo(3);
        assertThat(count.answered()).hasSize(3);
        ClusterAnswer<List<ConnectionInfo>> gina = f.node(1).cluster().connectionsOfUser("gina").get(10, TimeUnit.SECONDS);
        assertThat(gina.value()).extracting(ConnectionInfo::node)
                .containsExactlyInAnyOrder(f.node(0).nodeId(), f.node(2).nodeId());
        ClusterAnswer<List<ConnectionInfo>> lobby = f.node(0).cluster().connectionsInTopic("lobby").get(10, TimeUnit.SECONDS);
        assertThat(lobby.value()).hasSize(2).allSatisfy(ci -> assertThat(ci.topics()).contains("lobby"));

        // A node that closes says goodbye: the others drop it at once.
        String leaving = f.node(2).nodeId();
        f.node(2).close();
        Await.until(timeout(), () -> !f.node(0).cluster().nodes().contains(leaving), "node 2 gone from node 0's view");
        ClusterAnswer<Long> after = f.node(0).cluster().connectionCount().get(10, TimeUnit.SECONDS);
        assertThat(after.complete()).isTrue();
        assertThat(after.value()).isEqualTo(2);
    }

    @Test
    void aNodeThatDiesMidQueryIsNamedInAPartialAnswer() throws Exception {
        ClusterFixture f = cluster(3);
        f.connect(0, "ivy");
        f.connect(1, "jack");
        String dead = f.node(1).nodeId();
        // Cut node 1 off as a crash would: no goodbye, no answers, no heartbeats.
        f.backplane(1).close();
        ClusterAnswer<Long> answer = f.node(0).cluster().connectionCount().get(20, TimeUnit.SECONDS);
        assertThat(answer.complete()).isFalse();
        assertThat(answer.missing()).containsExactly(dead);
        assertThat(answer.answered()).containsExactlyInAnyOrder(f.node(0).nodeId(), f.node(2).nodeId());
        assertThat(answer.value()).isEqualTo(1);
        Await.until(timeout(), () -> !f.node(0).cluster().nodes().contains(dead), "the dead node dropped after missed heartbeats");
    }

    @Test
    void refusesGarbageAndUnknownVersionsOnTheBackplaneAndKeepsRouting() {
        ClusterFixture f = cluster(2);
        InMemoryClient c = f.connect(1, "kate");
        Node raw = startNode("raw");
        awaitUp(raw);
        long before = f.node(1).cluster().rejectedMessages();
        raw.backplane().publish(utf8("this is not json"));
        raw.backplane().publish(utf8("{\"v\":99,\"from\":\"future-node\",\"kind\":\"route\",\"frame\":\"{}\"}"));
        raw.backplane().publish(utf8("{\"v\":1,\"from\":\"odd-node\",\"kind\":\"teleport\"}"));
        raw.backplane().publish(utf8("{\"v\":1,\"from\":\"odd-node\",\"kind\":\"route\"}"));
        Await.until(timeout(), () -> f.node(1).cluster().rejectedMessages() >= before + 4, "four messages rejected");
        f.node(0).to(Audience.user("kate")).emit("still", "routing");
        assertThat(dataOf(f.nextOfType(c, "event"))).isEqualTo("routing");
    }
}
