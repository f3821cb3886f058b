package dev.switchboard.crud.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.Switchboard;
import dev.switchboard.backplane.Backplanes;
import dev.switchboard.backplane.postgres.PostgresBackplane;
import dev.switchboard.backplane.postgres.TestClient;
import dev.switchboard.backplane.postgres.TestPostgres;
import dev.switchboard.crud.ChangeEvent;
import dev.switchboard.crud.CollectionOptions;
import dev.switchboard.crud.Repositories;
import dev.switchboard.testkit.Await;
import java.sql.Connection;
import java.sql.ResultSet;
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
 * {@link PostgresChangeFeed} against a real server: changes made over plain JDBC (as psql or another
 * service would make them) arrive as ADDED / MODIFIED / DELETED with items shaped exactly like the
 * repository's; the trigger can be installed twice; rows too large for NOTIFY are read back; any
 * table can be fed; and through a board, subscribed clients see database changes live.
 */
class PostgresChangeFeedIntegrationTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final ObjectMapper M = new ObjectMapper();
    private final String table = "feed_" + UUID.randomUUID().toString().substring(0, 8);
    private final List<AutoCloseable> closing = new ArrayList<>();

    TestPostgres server() {
        return TestPostgres.embedded();
    }

    PostgresTableOptions options(String name) {
        TestPostgres s = server();
        return PostgresTableOptions.builder(name).url(s.jdbcUrl()).user(s.user()).password(s.password())
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1)).build();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        server().dropTables(table);
    }

    private BlockingQueue<ChangeEvent> started(PostgresChangeFeed feed) {
        BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
        closing.add(0, feed);
        feed.start(events::add);
        Await.until(TIMEOUT, feed::isListening, "feed listening");
        return events;
    }

    private static ChangeEvent next(BlockingQueue<ChangeEvent> events) throws InterruptedException {
        ChangeEvent e = events.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(e).as("a change event within " + TIMEOUT).isNotNull();
        return e;
    }

    private void sql(String... statements) throws Exception {
        try (Connection c = server().connect(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    @Test
    void insertUpdateAndDeleteOverPlainJdbcArriveShapedLikeTheRepository() throws Exception {
        PostgresRepository repo = PostgresRepository.create(options(table));
        closing.add(repo);
        BlockingQueue<ChangeEvent> events = started(PostgresChangeFeed.create(options(table), "tasks"));

        sql("INSERT INTO " + table + " (doc) VALUES ('{\"title\":\"from psql\",\"status\":\"todo\"}')");
        ChangeEvent added = next(events);
        assertThat(added.type()).isEqualTo(ChangeEvent.Type.ADDED);
        assertThat(added.collection()).isEqualTo("tasks");
        assertThat(added.id()).isEqualTo("1");
        assertThat(added.item()).isEqualTo(repo.get("1").orElseThrow());

        sql("UPDATE " + table + " SET doc = jsonb_set(doc, '{status}', '\"done\"') WHERE id = '1'");
        ChangeEvent modified = next(events);
        assertThat(modified.type()).isEqualTo(ChangeEvent.Type.MODIFIED);
        assertThat(modified.item()).isEqualTo(repo.get("1").orElseThrow());
        assertThat(modified.item().path("version").asLong()).isEqualTo(2);
        assertThat(modified.item().path("status").asText()).isEqualTo("done");

        ObjectNode viaRepo = repo.replace("1", (ObjectNode) M.readTree("{\"title\":\"via repo\"}"), 2L);
        assertThat(next(events).item()).isEqualTo(viaRepo);

        sql("DELETE FROM " + table + " WHERE id = '1'");
        ChangeEvent deleted = next(events);
        assertThat(deleted.type()).isEqualTo(ChangeEvent.Type.DELETED);
        assertThat(deleted.item()).isEqualTo(M.readTree("{\"id\":\"1\"}"));
        assertThat(events.poll()).isNull();
    }

    @Test
    void installingTheTriggerTwiceLeavesOneTrigger() throws Exception {
        PostgresRepository.create(options(table)).close();
        BlockingQueue<ChangeEvent> first = started(PostgresChangeFeed.create(options(table), "tasks"));
        BlockingQueue<ChangeEvent> second = started(PostgresChangeFeed.create(options(table), "tasks"));
        try (Connection c = server().connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_trigger WHERE tgrelid = '" + table
                     + "'::regclass AND tgname = 'switchboard_notify'")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(1);
        }
        sql("INSERT INTO " + table + " (doc) VALUES ('{\"n\":1}')", "INSERT INTO " + table + " (doc) VALUES ('{\"n\":2}')");
        for (BlockingQueue<ChangeEvent> events : List.of(first, second)) {
            assertThat(next(events).item().path("n").asInt()).isEqualTo(1);
            assertThat(next(events).item().path("n").asInt()).isEqualTo(2);   // not a second copy of n=1
        }
    }

    @Test
    void rowsTooLargeForNotifyAreSentByKeyAndReadBack() throws Exception {
        BlockingQueue<ChangeEvent> events = started(PostgresChangeFeed.create(options(table), "tasks"));
        String big = "x".repeat(30_000);
        sql("INSERT INTO " + table + " (doc) VALUES (jsonb_build_object('blob', '" + big + "'))");
        ChangeEvent e = next(events);
        assertThat(e.type()).isEqualTo(ChangeEvent.Type.ADDED);
        assertThat(e.item().path("blob").asText()).isEqualTo(big);
        assertThat(e.item().path("version").asLong()).isEqualTo(1);
    }

    @Test
    void anyTableCanBeFedItsRowsAsJson() throws Exception {
        String orders = table + "_orders";
        sql("CREATE TABLE " + orders + " (order_no int PRIMARY KEY, status text)");
        BlockingQueue<ChangeEvent> events = started(PostgresChangeFeed.forTable(options(orders), "orders", "order_no"));
        sql("INSERT INTO " + orders + " VALUES (42, 'new')", "UPDATE " + orders + " SET status = 'paid'",
                "UPDATE " + orders + " SET order_no = 43", "DELETE FROM " + orders);
        ChangeEvent added = next(events);
        assertThat(added.id()).isEqualTo("42");
        assertThat(added.item()).isEqualTo(M.readTree("{\"order_no\":42,\"status\":\"new\"}"));
        assertThat(next(events).item().path("status").asText()).isEqualTo("paid");
        ChangeEvent rekeyedAway = next(events);
        assertThat(rekeyedAway.type()).isEqualTo(ChangeEvent.Type.DELETED);
        assertThat(rekeyedAway.id()).isEqualTo("42");
        ChangeEvent rekeyed = next(events);
        assertThat(rekeyed.type()).isEqualTo(ChangeEvent.Type.ADDED);
        assertThat(rekeyed.id()).isEqualTo("43");
        assertThat(next(events).type()).isEqualTo(ChangeEvent.Type.DELETED);
    }

    @Test
    void subscribedClientsSeeDatabaseChangesLiveAndTheirOwnWritesOnce() throws Exception {
        String uri = server().uri() + (server().uri().contains("?") ? "&" : "?") + "reconnectMax=1s";
        assertThat(Repositories.fromUri(uri, table)).isInstanceOf(PostgresRepository.class);
        try (Switchboard board = Switchboard.builder().build()) {
            PostgresChangeFeed feed = (PostgresChangeFeed) Repositories.changeFeedFromUri(uri, table);
            board.crud(table, Repositories.fromUri(uri, table), CollectionOptions.builder()
                    .fields("title", "status")
                    .changeFeed(feed)
                    .build());
            TestClient client = TestClient.connect(board);
            assertThat(client.subscribe("collection:" + table).has("error")).isFalse();
            Await.until(TIMEOUT, feed::isListening, "the board's feed listening");

            JsonNode created = client.request("POST", M.readTree("{\"collection\":\"" + table
                    + "\",\"item\":{\"title\":\"Write docs\",\"status\":\"todo\"}}"));
            JsonNode addedEvent = client.nextEvent();
            assertThat(addedEvent.path("event").asText()).isEqualTo("ADDED");
            assertThat(addedEvent.path("data")).isEqualTo(created.path("data"));

            sql("UPDATE " + table + " SET doc = jsonb_set(doc, '{status}', '\"done\"') WHERE id = '"
                    + created.path("data").path("id").asText() + "'");
            JsonNode modified = client.nextEvent();
            assertThat(modified.path("event").asText()).isEqualTo("MODIFIED");
            assertThat(modified.path("topic").asText()).isEqualTo("collection:" + table);
            assertThat(modified.path("data").path("status").asText()).isEqualTo("done");
            assertThat(modified.path("data").path("version").asLong()).isEqualTo(2);
            assertThat(client.pollEvent()).as("no duplicate of the client's own write").isNull();
        }
        assertThat(Backplanes.fromUri(uri)).isInstanceOf(PostgresBackplane.class);
    }
}
