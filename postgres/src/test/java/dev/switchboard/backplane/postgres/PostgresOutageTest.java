package dev.switchboard.backplane.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.Audience;
import dev.switchboard.ErrorCode;
import dev.switchboard.Retention;
import dev.switchboard.StreamPosition;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.SwitchboardOptions;
import dev.switchboard.crud.ChangeEvent;
import dev.switchboard.crud.postgres.PostgresChangeFeed;
import dev.switchboard.crud.postgres.PostgresRepository;
import dev.switchboard.crud.postgres.PostgresTableOptions;
import dev.switchboard.spi.HistoryEntry;
import dev.switchboard.spi.HistoryRead;
import dev.switchboard.testkit.Await;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Postgres down at start and restarted mid-stream, with real Switchboard nodes and clients: local
 * delivery goes on, health says what is wrong, LISTEN comes back by itself, and durable-topic history
 * survives the restart (the data directory does). Also the repository and the change feed across a
 * restart. Runs against the embedded server only: it stops and starts it.
 */
class PostgresOutageTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper M = new ObjectMapper();
    private final String prefix = "out_" + UUID.randomUUID().toString().substring(0, 8);
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final TestPostgres server = TestPostgres.embedded();

    @AfterEach
    void close() throws Exception {
        server.start();
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private Switchboard node(String name, PostgresBackplane backplane) {
        Switchboard board = Switchboard.builder()
                .options(SwitchboardOptions.builder().nodeId(prefix + "-" + name).build())
                .backplane(backplane).build();
        closing.add(0, board);
        return board;
    }

    private PostgresBackplane backplane() {
        return PostgresBackplane.create(PostgresBackplaneOptions.builder()
                .url(server.jdbcUrl()).user(server.user()).password(server.password())
                .channelPrefix(prefix).tablePrefix(prefix)
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .build());
    }

    private static String event(TestClient c) {
        JsonNode e = c.nextEvent(TIMEOUT);
        return e.path("event").asText() + ":" + e.path("data").asText();
    }

    @Test
    void downAtStartThenRestartedMidStream() throws Exception {
        server.stop();
        long t0 = System.nanoTime();
        PostgresBackplane backplaneA = backplane();
        Switchboard a = node("a", backplaneA);
        Switchboard b = node("b", backplane());
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("nodes start with Postgres down")
                .isLessThan(Duration.ofSeconds(5));
        assertThat(a.backplaneHealth().up()).isFalse();
        assertThat(a.backplaneHealth().detail()).isNotBlank();

        // The local service goes on: clients on node a still get what node a routes.
        TestClient onA = TestClient.connect(a).join("news");
        TestClient onB = TestClient.connect(b).join("news");
        a.to(Audience.topic("news")).emit("local", "while-down");
        assertThat(event(onA)).isEqualTo("local:while-down");
        Await.until(TIMEOUT, () -> a.backplaneHealth().droppedMessages() > 0, "the cross-node copy counted as dropped");

        server.start();
        Await.until(TIMEOUT, () -> a.backplaneHealth().up() && b.backplaneHealth().up(), "both nodes up");
        a.to(Audience.topic("news")).emit("cross", "after-start");
        assertThat(event(onB)).isEqualTo("cross:after-start");
        assertThat(event(onA)).isEqualTo("cross:after-start");

        String topic = prefix + "-durable";
        StreamPosition before = backplaneA.history().orElseThrow()
                .append(topic, bytes("one"), Retention.lastMessages(10)).get(20, TimeUnit.SECONDS);

        // Mid-stream restart.
        server.stop();
        Await.until(TIMEOUT, () -> !a.backplaneHealth().up(), "health down");
        long dropped = a.backplaneHealth().droppedMessages();
        long t1 = System.nanoTime();
        a.to(Audience.topic("news")).emit("local", "during");
        assertThat(Duration.ofNanos(System.nanoTime() - t1)).isLessThan(Duration.ofSeconds(1));
        assertThat(event(onA)).isEqualTo("local:during");
        Await.until(TIMEOUT, () -> a.backplaneHealth().droppedMessages() > dropped, "dropped and counted");

        server.start();
        Await.until(TIMEOUT, () -> a.backplaneHealth().up() && b.backplaneHealth().up(), "both nodes up again");
        b.to(Audience.topic("news")).emit("cross", "after-restart");
        assertThat(event(onA)).isEqualTo("cross:after-restart");
        assertThat(event(onB)).isEqualTo("cross:after-restart");   // at most once: "during" never reached b

        HistoryRead read = backplaneA.history().orElseThrow().read(topic, 0, 10).get(20, TimeUnit.SECONDS);
        assertThat(read.latest()).isEqualTo(before);
        assertThat(read.entries()).extracting(HistoryEntry::message).containsExactly(bytes("one"));
        assertThat(backplaneA.history().orElseThrow().append(topic, bytes("two"), Retention.lastMessages(10))
                .get(20, TimeUnit.SECONDS)).isEqualTo(new StreamPosition(before.epoch(), before.offset() + 1));
    }

    @Test
    void anAcknowledgedAppendSurvivesACrashEvenWhenTheServerCommitsAsynchronously() throws Exception {
        // Found by the chaos soak: zonky's server (like any with synchronous_commit = off) acknowledged
        // appends whose WAL was not written yet; after kill -9 their offsets were handed out again, in the
        // same epoch, to other messages, and a resuming client was "recovered" with the wrong ones.
        try (Connection c = server.connect(); Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SHOW synchronous_commit")) {
            rs.next();
            org.junit.jupiter.api.Assumptions.assumeTrue(rs.getString(1).equals("off"),
                    "the embedded server commits synchronously: nothing to prove");
        }
        PostgresBackplane backplane = backplane();
        Switchboard a = node("a", backplane); // starts the backplane, which creates its tables
        Await.until(TIMEOUT, () -> a.backplaneHealth().up(), "up");
        String topic = prefix + "-crash";
        StreamPosition last = null;
        for (int i = 1; i <= 300; i++) {
            last = backplane.history().orElseThrow().append(topic, bytes("m" + i), Retention.lastMessages(1000))
                    .get(20, TimeUnit.SECONDS);
        }
        server.crash();
        server.start();
        HistoryRead read = backplane.history().orElseThrow().read(topic, 295, 10).get(30, TimeUnit.SECONDS);
        assertThat(read.latest()).isEqualTo(last);
        assertThat(read.entries()).extracting(HistoryEntry::message)
                .containsExactly(bytes("m296"), bytes("m297"), bytes("m298"), bytes("m299"), bytes("m300"));
    }

    @Test
    void theRepositoryIsUnavailableDuringAnOutageAndTheFeedComesBack() throws Exception {
        String table = prefix + "_tasks";
        PostgresTableOptions o = PostgresTableOptions.builder(table).url(server.jdbcUrl()).user(server.user())
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1)).build();
        PostgresRepository repo = PostgresRepository.create(o);
        closing.add(repo);
        PostgresChangeFeed feed = PostgresChangeFeed.create(o, "tasks");
        closing.add(feed);
        BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
        feed.start(events::add);
        Await.until(TIMEOUT, feed::isListening, "feed listening");
        repo.create(M.createObjectNode().put("title", "before"));
        assertThat(events.poll(20, TimeUnit.SECONDS)).isNotNull();

        server.stop();
        assertThatThrownBy(() -> repo.get("1")).isInstanceOfSatisfying(SwitchboardException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
        Await.until(TIMEOUT, () -> !feed.isListening(), "feed notices");
        server.start();
        assertThat(repo.get("1")).isPresent();
        Await.until(TIMEOUT, feed::isListening, "feed listening again");
        try (Connection c = server.connect(); Statement st = c.createStatement()) {
            st.execute("UPDATE " + table + " SET doc = '{\"title\":\"after\"}' WHERE id = '1'");
        }
        ChangeEvent e = events.poll(20, TimeUnit.SECONDS);
        assertThat(e).isNotNull();
        assertThat(e.item().path("title").asText()).isEqualTo("after");
        assertThat(e.item().path("version").asLong()).isEqualTo(2);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
