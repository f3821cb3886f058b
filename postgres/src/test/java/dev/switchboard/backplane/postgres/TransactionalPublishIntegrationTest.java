package dev.switchboard.backplane.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Audience;
import dev.switchboard.PreparedMessage;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardOptions;
import dev.switchboard.testkit.Await;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The outbox pattern without an outbox worker: {@link PostgresBackplane#publish(Connection, PreparedMessage)}
 * inside the application's transaction, with two real Switchboard nodes and connected clients on each.
 * Clients on every node, the sending node included, hear of the change if and only if the transaction
 * commits, and only when it commits.
 */
class TransactionalPublishIntegrationTest {
    private final String prefix = "tx_" + UUID.randomUUID().toString().substring(0, 8);
    private final List<AutoCloseable> closing = new ArrayList<>();
    private PostgresBackplane backplaneA;
    private Switchboard a;
    private TestClient onA;
    private TestClient onB;

    TestPostgres server() {
        return TestPostgres.embedded();
    }

    @BeforeEach
    void twoNodesWithAClientEach() throws Exception {
        backplaneA = backplane();
        PostgresBackplane backplaneB = backplane();
        a = node("a", backplaneA);
        Switchboard b = node("b", backplaneB);
        Await.until(Duration.ofSeconds(20), () -> a.backplaneHealth().up() && b.backplaneHealth().up(), "nodes up");
        onA = TestClient.connect(a).join("orders");
        onB = TestClient.connect(b).join("orders");
        try (Connection c = server().connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + prefix + "_orders (id serial PRIMARY KEY, item text NOT NULL)");
        }
    }

    private PostgresBackplane backplane() {
        TestPostgres s = server();
        return PostgresBackplane.create(PostgresBackplaneOptions.builder()
                .url(s.jdbcUrl()).user(s.user()).password(s.password())
                .channelPrefix(prefix).tablePrefix(prefix).build());
    }

    private Switchboard node(String name, PostgresBackplane backplane) {
        Switchboard board = Switchboard.builder()
                .options(SwitchboardOptions.builder().nodeId(prefix + "-" + name).build())
                .backplane(backplane).build();
        closing.add(0, board);
        return board;
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        server().dropTables(prefix);
    }

    @Test
    void aCommittedTransactionReachesClientsOnEveryNodeOnlyWhenItCommits() throws Exception {
        try (Connection tx = server().connect()) {
            tx.setAutoCommit(false);
            long id = insertOrder(tx, "book");
            backplaneA.publish(tx, a.to(Audience.topic("orders")).prepare("order.created", Map.of("id", id)));

            // Not yet committed: a message routed now overtakes it on both nodes.
            a.to(Audience.topic("orders")).emit("marker", "before-commit");
            assertThat(onA.nextEvent().path("event").asText()).isEqualTo("marker");
            assertThat(onB.nextEvent().path("event").asText()).isEqualTo("marker");
            assertThat(onA.pollEvent()).isNull();

            tx.commit();
            for (TestClient c : List.of(onA, onB)) {
                JsonNode e = c.nextEvent();
                assertThat(e.path("event").asText()).isEqualTo("order.created");
                assertThat(e.path("topic").asText()).isEqualTo("orders");
                assertThat(e.path("data").path("id").asLong()).isEqualTo(id);
            }
        }
    }

    @Test
    void aRolledBackTransactionReachesNobody() throws Exception {
        try (Connection tx = server().connect()) {
            tx.setAutoCommit(false);
            insertOrder(tx, "lamp");
            backplaneA.publish(tx, a.to(Audience.topic("orders")).prepare("order.created", Map.of("item", "lamp")));
            tx.rollback();

            // A later committed transaction is the first thing either node delivers.
            tx.setAutoCommit(false);
            insertOrder(tx, "chair");
            backplaneA.publish(tx, a.to(Audience.topic("orders")).prepare("order.created", Map.of("item", "chair")));
            tx.commit();
        }
        for (TestClient c : List.of(onA, onB)) {
            assertThat(c.nextEvent().path("data").path("item").asText()).isEqualTo("chair");
        }
        try (Connection c = server().connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + prefix + "_orders WHERE item = 'lamp'")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }
    }

    @Test
    void aLargePreparedMessageTravelsThroughAnAttachmentInTheSameTransaction() throws Exception {
        String big = "x".repeat(50_000);
        try (Connection tx = server().connect()) {
            tx.setAutoCommit(false);
            insertOrder(tx, "crate");
            PreparedMessage m = a.to(Audience.topic("orders")).prepare("order.created", Map.of("blob", big));
            assertThat(m.size()).isGreaterThan(8000);
            backplaneA.publish(tx, m);
            tx.commit();
        }
        for (TestClient c : List.of(onA, onB)) {
            assertThat(c.nextEvent().path("data").path("blob").asText()).isEqualTo(big);
        }
    }

    private long insertOrder(Connection tx, String item) throws Exception {
        try (PreparedStatement ps = tx.prepareStatement("INSERT INTO " + prefix + "_orders (item) VALUES (?) RETURNING id")) {
            ps.setString(1, item);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
