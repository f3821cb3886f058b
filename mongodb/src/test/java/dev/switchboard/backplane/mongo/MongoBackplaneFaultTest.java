package dev.switchboard.backplane.mongo;

import dev.switchboard.internal.BackplanePipeline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import dev.switchboard.Audience;
import dev.switchboard.BackplaneException;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardOptions;
import dev.switchboard.testkit.InMemoryClient;
import dev.switchboard.testkit.InMemoryTransport;
import dev.switchboard.Retention;
import dev.switchboard.backplane.mongo.internal.MessageDocuments;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.RecordingListener;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Faults of the server and bad input, against mongo-java-server. */
class MongoBackplaneFaultTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final String run = UUID.randomUUID().toString().substring(0, 6);
    private MongoTestServer server;

    @BeforeEach
    void start() {
        server = MongoTestServer.start();
        closeables.add(server);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    /** A backplane in the core's pipeline, as a node runs it. */
    private record Node(BackplanePipeline backplane, RecordingListener received) {
        MongoBackplane mongo() {
            return (MongoBackplane) backplane.adapter();
        }
    }

    private Node node(String name, MongoBackplaneOptions.Builder options) {
        BackplanePipeline b = BackplanePipeline.of(MongoBackplane.create(options.build()));
        closeables.add(b);
        RecordingListener l = new RecordingListener();
        b.start(name + "-" + run, l);
        return new Node(b, l);
    }

    private Node node(String name) {
        return node(name, MongoBackplaneCompatibilityTest.testOptions(server.uri()).database("faults"));
    }

    private static void awaitUp(Node n) {
        Await.until(WAIT, () -> n.backplane().health().up(), "backplane up: " + n.backplane().health());
    }

    private static void awaitDown(Node n) {
        Await.until(WAIT, () -> !n.backplane().health().up(), "backplane down");
    }

    /** Waits until the node's own loop saw its stream fail (not only the driver noticing the outage). */
    private static void awaitStreamClosed(Node n) {
        Await.until(WAIT, () -> n.backplane().health().detail().contains("change stream not open"),
                "change stream closed: " + n.backplane().health());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void resumesFromItsTokenAndDeliversWhatWasInsertedWhileItsStreamWasClosed() throws Exception {
        Node a = node("a");
        Node b = node("b");
        awaitUp(a);
        awaitUp(b);
        a.backplane().publish(utf8("m1"));
        b.received().assertNext("m1", WAIT); // b now holds a resume token
        server.stop();
        awaitStreamClosed(b);
        // While b's server is down, another node writes through a door b does not know about.
        MongoServer side = server.sideDoor();
        try (MongoClient other = MongoClients.create("mongodb://127.0.0.1:" + side.getLocalAddress().getPort())) {
            for (String m : List.of("m2", "m3", "m4")) {
                other.getDatabase("faults").getCollection("switchboard_messages")
                        .insertOne(MessageDocuments.message("switchboard", "outsider", null, utf8(m), false));
            }
        } finally {
            side.shutdownNow();
        }
        assertThat(b.backplane().health().up()).isFalse();
        server.restart();
        b.received().assertNext("m2", WAIT);
        b.received().assertNext("m3", WAIT);
        b.received().assertNext("m4", WAIT);
        awaitUp(b);
        assertThat(b.mongo().gaps()).isZero();
        assertThat(b.backplane().health().detail()).doesNotContain("gap");
    }

    @Test
    void startsWhileTheServerIsDownReportsItAndConnectsLater() {
        server.stop();
        long t0 = System.nanoTime();
        Node a = node("a", MongoBackplaneCompatibilityTest.testOptions(server.uri()).database("faults")
                .startTimeout(Duration.ofMillis(500)));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        assertThat(a.backplane().health().up()).isFalse();
        assertThat(a.backplane().health().detail()).contains("change stream not open", "127.0.0.1");
        long dropped = a.backplane().health().droppedMessages();
        a.backplane().publish(utf8("lost"));
        assertThat(a.backplane().health().droppedMessages()).isEqualTo(dropped + 1);
        server.restart();
        awaitUp(a);
        Node b = node("b");
        awaitUp(b);
        a.backplane().publish(utf8("hello"));
        b.received().assertNext("hello", WAIT);
    }

    @Test
    void aNodeServesItsOwnClientsWhileMongoIsDownAndReportsIt() {
        server.stop();
        MongoBackplane backplane = MongoBackplane.create(MongoBackplaneCompatibilityTest.testOptions(server.uri())
                .database("faults").startTimeout(Duration.ofMillis(300)).build());
        Switchboard node = Switchboard.builder()
                .options(SwitchboardOptions.builder().nodeId("local-" + run).build())
                .backplane(backplane)
                .build();
        closeables.add(node);
        node.onConnect(conn -> conn.join("room"));
        InMemoryClient client = InMemoryTransport.attach(node).connect();
        assertThat(client.nextFrame(WAIT).path("type").asText()).isEqualTo("welcome");
        Await.until(WAIT, () -> node.connections().stream().allMatch(c -> !c.topics().isEmpty()), "joined");
        assertThat(node.backplaneHealth().up()).isFalse();
        assertThat(node.backplaneHealth().detail()).contains("127.0.0.1");
        node.to(Audience.topic("room")).emit("note", "while mongo is down");
        assertThat(client.nextFrame(WAIT).path("data").asText()).isEqualTo("while mongo is down");
        server.restart();
        Await.until(WAIT, () -> node.backplaneHealth().up(), "up after the server came");
        node.to(Audience.topic("room")).emit("note", "and after");
        assertThat(client.nextFrame(WAIT).path("data").asText()).isEqualTo("and after");
    }

    @Test
    void aTokenThatNoLongerFitsTheServerRestartsFromNowAndCountsTheGap() {
        Node a = node("a");
        Node b = node("b");
        awaitUp(a);
        awaitUp(b);
        a.backplane().publish(utf8("before"));
        b.received().assertNext("before", WAIT);
        server.stop();
        awaitStreamClosed(b);
        server.restartEmpty(); // a new server: b's token is from another oplog
        awaitUp(b);
        awaitUp(a);
        assertThat(b.mongo().gaps()).isEqualTo(1);
        assertThat(b.backplane().health().detail()).contains("1 gap(s)", "data was replaced");
        a.backplane().publish(utf8("after"));
        b.received().assertNext("after", WAIT);
    }

    @Test
    void refusesAServerWithoutChangeStreamsAtStartNamingTheFix() {
        try (MongoTestServer standalone = MongoTestServer.startWithoutChangeStreams()) {
            BackplanePipeline b = BackplanePipeline.of(MongoBackplane.create(
                    MongoBackplaneCompatibilityTest.testOptions(standalone.uri()).database("faults").build()));
            closeables.add(b);
            assertThatThrownBy(() -> b.start("solo-" + run, new RecordingListener()))
                    .isInstanceOf(BackplaneException.class)
                    .hasMessageContaining("cannot run change streams")
                    .hasMessageContaining("replica set")
                    .hasMessageContaining("--replSet rs0")
                    .hasMessageContaining("rs.initiate()");
            assertThat(b.health().up()).isFalse();
        }
    }

    @Test
    void refusesAMessageAboveTheDocumentLimitAndSendsNothing() throws Exception {
        Node a = node("a");
        Node b = node("b");
        awaitUp(a);
        awaitUp(b);
        assertThatThrownBy(() -> a.backplane().publish(new byte[MongoBackplane.MAX_MESSAGE_BYTES + 1]))
                .isInstanceOfSatisfying(BackplaneException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo(dev.switchboard.ErrorCode.TOO_LARGE))
                .hasMessageContaining("larger than the mongodb backplane's limit of " + MongoBackplane.MAX_MESSAGE_BYTES)
                .hasMessageContaining("nothing was sent");
        assertThatThrownBy(() -> a.backplane().publish(b.backplane().nodeId(), new byte[17 << 20]))
                .isInstanceOf(BackplaneException.class);
        assertThatThrownBy(() -> a.backplane().history().orElseThrow()
                .append("big-" + run, new byte[MongoBackplane.MAX_MESSAGE_BYTES + 1], Retention.lastValue())
                .get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(BackplaneException.class);
        assertThat(a.backplane().health().droppedMessages()).isZero();
        // The largest allowed message goes through whole, and nothing of the refused ones came first.
        byte[] max = new byte[MongoBackplane.MAX_MESSAGE_BYTES];
        max[0] = 'M';
        max[max.length - 1] = 'Z';
        a.backplane().publish(max);
        String got = b.received().next(Duration.ofSeconds(60));
        assertThat(got).hasSize(max.length).startsWith("M").endsWith("Z");
        a.backplane().publish(utf8("next"));
        b.received().assertNext("next", WAIT);
    }

    @Test
    void publishNeverBlocksAndCountsWhatCannotBeSentDuringAnOutage() {
        Node a = node("a", MongoBackplaneCompatibilityTest.testOptions(server.uri()).database("faults")
                .publishQueue(4));
        awaitUp(a);
        server.stop();
        long t0 = System.nanoTime();
        for (int i = 0; i < 200; i++) {
            a.backplane().publish(utf8("m" + i));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
        // Only the queue (4) and the batch in flight (at most the queue again) can still be waiting for the
        // insert's timeout; once it failed or the stream saw the outage everything else is counted at once.
        Await.until(WAIT, () -> a.backplane().health().droppedMessages() == 200, "every message counted");
        server.restart();
    }
}
