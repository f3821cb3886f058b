package dev.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Audience;
import dev.switchboard.ClusterAnswer;
import dev.switchboard.ClusterTrust;
import dev.switchboard.ConnectionInfo;
import dev.switchboard.DuplicateNodeIdAction;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every backplane proves, as one abstract JUnit class its tests extend. First the bytes
 * ({@link BackplaneContract}: pub/sub, history, outages); then three Switchboard nodes on the backplane
 * ({@link ClusterFixture}) prove what users see: every audience routed across nodes exactly once per
 * connection, durable topics recovered on another node with no gap and no duplicate (or
 * {@code recovered:false}), last-value topics, cluster membership and queries with partial answers
 * naming a dead node, garbage on the backplane refused and counted, routed frames that are not one JSON
 * event frame refused, and, with a cluster key ({@link ClusterTrust}), nothing unsigned or signed with
 * another key heard (no event, request, raw text, fake node or answered query), and keys rotated.
 *
 * <pre>{@code
 * class RedisBackplaneCompatibilityTest extends BackplaneCompatibilityKit {
 *     protected Backplane createBackplane() { return RedisBackplane.create(options); }
 * }
 * }</pre>
 */
public abstract class BackplaneCompatibilityKit extends BackplaneContract {
    private final List<ClusterFixture> fixtures = new ArrayList<>();

    // ---- three Switchboard nodes on this backplane ----

    /** @return three started nodes that know each other, closed after the test */
    protected ClusterFixture cluster(int nodes) {
        return cluster(nodes, ClusterTrust.none());
    }

    /**
     * @param nodes how many nodes
     * @param trust their cluster keys
     * @return started nodes that know each other, closed after the test
     */
    protected ClusterFixture cluster(int nodes, ClusterTrust trust) {
        ClusterFixture f = new ClusterFixture(this::createBackplane, run, timeout(), trust);
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
    void aSecondNodeWithTheSameIdIsReportedAndLeavesInsteadOfLosingMessagesSilently() {
        ClusterFixture f = cluster(1);
        String id = f.node(0).nodeId();
        int twin = f.startNode(id, DuplicateNodeIdAction.STOP);
        Await.until(timeout(), () -> f.node(twin).backplaneHealth().detail().contains("left the cluster"),
                "the later node reports the duplicate id (" + f.node(twin).backplaneHealth() + ")");
        assertThat(f.node(twin).backplaneHealth().up()).isFalse();
        assertThat(f.node(twin).backplaneHealth().detail()).contains(id);
        // It left the cluster; the first node, which kept its id, is healthy again.
        Await.until(timeout(), () -> f.node(0).backplaneHealth().up(), "the first node healthy again");
        assertThat(f.node(twin).backplaneHealth().up()).isFalse();
    }

    @Test
    void aSecondNodeWithTheSameIdRejoinsUnderAFreshIdWhenAskedTo() {
        ClusterFixture f = cluster(1);
        String id = f.node(0).nodeId();
        int twin = f.startNode(id, DuplicateNodeIdAction.REJOIN);
        Await.until(timeout(), () -> !f.node(twin).nodeId().equals(id)
                        || f.node(twin).backplaneHealth().detail().contains("left the cluster"),
                "the later node rejoins or leaves");
        assumeTrue(!f.node(twin).nodeId().equals(id), "this backplane cannot move a node to a fresh id");
        assertThat(f.node(twin).nodeId()).startsWith(id + "-");
        Await.until(timeout(), () -> f.node(twin).backplaneHealth().up() && f.node(0).backplaneHealth().up(),
                "both nodes healthy");
        Await.until(timeout(), () -> f.node(0).cluster().nodes().contains(f.node(twin).nodeId()),
                "the first node sees the fresh id");
        InMemoryClient onTwin = f.connect(twin, "lena");
        f.node(0).to(Audience.user("lena")).emit("dm", "across");
        assertThat(dataOf(f.nextOfType(onTwin, "event"))).isEqualTo("across");
    }

    /**
     * Publishes the messages raw (unsigned, as any backplane client could) to a cluster of two nodes without a
     * cluster key, waits until node 1 has refused every one of them, and proves that node 1 still routes to
     * {@code user}: the user's client gets the real event that follows, and nothing else.
     */
    private void assertRefusedAndStillRouting(String user, List<byte[]> messages, String what) {
        ClusterFixture f = cluster(2);
        InMemoryClient c = f.connect(1, user);
        Node raw = startNode("raw");
        awaitUp(raw);
        long before = f.node(1).cluster().rejectedMessages();
        messages.forEach(m -> raw.backplane().publish(m));
        Await.until(timeout(), () -> f.node(1).cluster().rejectedMessages() >= before + messages.size(), what);
        f.node(0).to(Audience.user(user)).emit("real", "still routing");
        assertThat(dataOf(f.nextOfType(c, "event"))).isEqualTo("still routing");
        f.assertNothingMore(c);
    }

    @Test
    void refusesGarbageAndUnknownVersionsOnTheBackplaneAndKeepsRouting() {
        assertRefusedAndStillRouting("kate", List.of(
                utf8("this is not json"),
                utf8("{\"v\":99,\"from\":\"future-node\",\"kind\":\"route\",\"frame\":\"{}\"}"),
                utf8("{\"v\":1,\"from\":\"odd-node\",\"kind\":\"teleport\"}"),
                utf8("{\"v\":1,\"from\":\"odd-node\",\"kind\":\"route\"}")), "four messages rejected");
    }

    // ---- cluster trust (issue 12, item 9) ----

    /** Test secrets only: a real cluster takes its secret from the environment. */
    private static final String KEY = "kit-cluster-key-0123456789-abcdefghijkl";
    private static final String NEW_KEY = "kit-cluster-key-rotated-9876543210-mnopq";
    private static final String OTHER_KEY = "someone-elses-cluster-key-000000000000000";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** @return a cluster message as anyone who can publish to the backplane could write it */
    private static byte[] forged(java.util.Map<String, Object> fields) {
        try {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("v", 1);
            m.putAll(fields);
            return JSON.writeValueAsBytes(m);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] routedToUser(String from, String user, String frame) {
        return forged(java.util.Map.of("from", from, "kind", "route",
                "audience", java.util.Map.of("users", List.of(user)), "frame", frame));
    }

    @Test
    void refusesRoutedFramesThatAreNotOneJsonEventFrame() {
        assertRefusedAndStillRouting("mila", List.of(
                routedToUser("raw-node", "mila", "<script>alert('raw text')</script>"),
                routedToUser("raw-node", "mila",
                        "{\"type\":\"request\",\"id\":\"s-1\",\"event\":\"confirm\",\"data\":{\"pay\":100}}"),
                routedToUser("raw-node", "mila",
                        "{\"type\":\"event\",\"event\":\"a\",\"data\":1}{\"type\":\"request\",\"id\":2,\"event\":\"b\"}"),
                routedToUser("raw-node", "mila",
                        "{\"type\":\"event\",\"type\":\"request\",\"id\":3,\"event\":\"c\"}")), "four frames refused");
    }

    @Test
    void withAClusterKeyNothingUnsignedOrSignedWithAnotherKeyIsHeard() {
        ClusterFixture f = cluster(2, ClusterTrust.builder().key(KEY).build());
        InMemoryClient c = f.connect(1, "nora");
        f.node(0).to(Audience.user("nora")).emit("hello", "signed");
        assertThat(dataOf(f.nextOfType(c, "event"))).isEqualTo("signed");

        // Anyone who can publish to the backplane: unsigned (as redis-cli PUBLISH), or with a key of their own.
        Node raw = startNode("raw");
        Node forger = startNode("forger", ClusterTrust.builder().key(OTHER_KEY).build());
        awaitUp(raw, forger);
        long before = f.node(1).cluster().untrustedMessages();
        String event = "{\"type\":\"event\",\"event\":\"chat.message\",\"data\":\"injected\"}";
        String request = "{\"type\":\"request\",\"id\":\"s-9\",\"event\":\"confirm\",\"data\":{}}";
        for (Node attacker : List.of(raw, forger)) {
            attacker.backplane().publish(routedToUser(attacker.id(), "nora", event));
            attacker.backplane().publish(routedToUser(attacker.id(), "nora", request));
            attacker.backplane().publish(utf8("raw text for nora"));
            attacker.backplane().publish(forged(java.util.Map.of("from", "fake-" + attacker.id(), "kind", "heartbeat",
                    "connections", 0)));
            attacker.backplane().publish(forged(java.util.Map.of("from", attacker.id(), "kind", "query",
                    "id", attacker.id() + ":1", "query", "user", "arg", "nora")));
        }
        Await.until(timeout(), () -> f.node(1).cluster().untrustedMessages() >= before + 10,
                "the forged messages dropped and counted");
        f.node(0).to(Audience.user("nora")).emit("real", "after");
        assertThat(dataOf(f.nextOfType(c, "event"))).isEqualTo("after");
        f.assertNothingMore(c);
        for (int i = 0; i < 2; i++) {
            assertThat(f.node(i).cluster().nodes()).containsExactlyInAnyOrder(f.node(0).nodeId(), f.node(1).nodeId());
        }
        for (Node attacker : List.of(raw, forger)) {
            assertThat(attacker.received().drain()).as("what %s heard", attacker.id())
                    .noneMatch(m -> m.contains("\"kind\":\"reply\""));
        }
    }

    @Test
    void nodesRotateKeysAndANodeWithAnotherKeyStaysOut() {
        ClusterFixture f = new ClusterFixture(this::createBackplane, run, timeout());
        fixtures.add(f);
        // Mid-rotation: one node signs with the new key, the other still with the old; each accepts both.
        f.startNode(ClusterTrust.builder().key(NEW_KEY).previousKeys(KEY).build());
        f.startNode(ClusterTrust.builder().key(KEY).previousKeys(NEW_KEY).build());
        f.awaitCluster();
        InMemoryClient onOld = f.connect(1, "olga");
        InMemoryClient onNew = f.connect(0, "nils");
        f.node(0).to(Audience.user("olga")).emit("dm", "new key");
        f.node(1).to(Audience.user("nils")).emit("dm", "old key");
        assertThat(dataOf(f.nextOfType(onOld, "event"))).isEqualTo("new key");
        assertThat(dataOf(f.nextOfType(onNew, "event"))).isEqualTo("old key");

        long before = f.node(0).cluster().untrustedMessages();
        int stranger = f.startNode(ClusterTrust.builder().key(OTHER_KEY).build());
        InMemoryClient onStranger = f.connect(stranger, "sven");
        f.node(stranger).to(Audience.user("nils")).emit("dm", "from a stranger");
        Await.until(timeout(), () -> f.node(0).cluster().untrustedMessages() > before, "the stranger's messages counted");
        f.node(1).to(Audience.user("nils")).emit("dm", "still old key");
        assertThat(dataOf(f.nextOfType(onNew, "event"))).isEqualTo("still old key");
        f.node(0).to(Audience.user("sven")).emit("dm", "to the stranger");
        f.assertNothingMore(onNew);
        f.assertNothingMore(onStranger);
        assertThat(f.node(0).cluster().nodes()).doesNotContain(f.node(stranger).nodeId());
        assertThat(f.node(stranger).cluster().nodes()).containsExactly(f.node(stranger).nodeId());
    }
}
