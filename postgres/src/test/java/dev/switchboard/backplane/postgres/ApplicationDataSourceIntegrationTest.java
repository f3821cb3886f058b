package dev.switchboard.backplane.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.Audience;
import dev.switchboard.Retention;
import dev.switchboard.StreamPosition;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardOptions;
import dev.switchboard.crud.postgres.PostgresRepository;
import dev.switchboard.spi.HistoryEntry;
import dev.switchboard.testkit.Await;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The application's own {@code DataSource} (here a HikariCP pool made the way a Spring Boot application has
 * one) given to the backplane and the repository, with no URL for a pool of their own: publishing, durable
 * topics, transactional publish and the repository's queries all borrow from it, LISTEN keeps a dedicated
 * connection outside it, and closing the backplane, the nodes and the repository leaves it open.
 */
class ApplicationDataSourceIntegrationTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private final String prefix = "app_" + UUID.randomUUID().toString().substring(0, 8);
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final TestPostgres server = TestPostgres.embedded();
    private HikariDataSource app;

    @BeforeEach
    void theApplicationsPool() {
        HikariConfig config = new HikariConfig();
        config.setPoolName("the-application");
        config.setJdbcUrl(server.jdbcUrl());
        config.setUsername(server.user());
        config.setPassword(server.password());
        config.setMaximumPoolSize(3);
        app = new HikariDataSource(config);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        app.close();
        server.dropTables(prefix);
    }

    private PostgresBackplane backplane() {
        PostgresBackplane backplane = PostgresBackplane.create(PostgresBackplaneOptions.builder()
                .dataSource(app)
                .listenUrl(server.jdbcUrl()).user(server.user()).password(server.password())
                .channelPrefix(prefix).tablePrefix(prefix).build());
        assertThat(backplane.options().url()).as("no URL: no pool of its own").isNull();
        return backplane;
    }

    private Switchboard node(String name, PostgresBackplane backplane) {
        Switchboard board = Switchboard.builder()
                .options(SwitchboardOptions.builder().nodeId(prefix + "-" + name).build())
                .backplane(backplane).build();
        closing.add(0, board);
        return board;
    }

    @Test
    void theBackplanePublishesAndStoresThroughTheApplicationsPoolAndLeavesItOpen() throws Exception {
        PostgresBackplane backplaneA = backplane();
        Switchboard a = node("a", backplaneA);
        Switchboard b = node("b", backplane());
        Await.until(TIMEOUT, () -> a.backplaneHealth().up() && b.backplaneHealth().up(), "both nodes up");
        TestClient onB = TestClient.connect(b).join("news");
        closing.add(0, onB);

        a.to(Audience.topic("news")).emit("cross", "through the application's pool");
        assertThat(onB.nextEvent(TIMEOUT).path("data").asText()).isEqualTo("through the application's pool");

        StreamPosition p = backplaneA.history().orElseThrow()
                .append(prefix + "-durable", "one".getBytes(StandardCharsets.UTF_8), Retention.lastMessages(10))
                .get(20, TimeUnit.SECONDS);
        assertThat(backplaneA.history().orElseThrow().read(prefix + "-durable", 0, 10).get(20, TimeUnit.SECONDS)
                .entries()).extracting(HistoryEntry::offset).containsExactly(p.offset());

        try (Connection tx = app.getConnection()) {
            tx.setAutoCommit(false);
            backplaneA.publish(tx, a.to(Audience.topic("news")).prepare("tx", Map.of("n", 1)));
            tx.commit();
        }
        assertThat(onB.nextEvent(TIMEOUT).path("event").asText()).isEqualTo("tx");
        assertThat(app.getHikariPoolMXBean().getTotalConnections()).as("the backplane borrowed from it")
                .isPositive();
        // Two LISTEN connections are open, each outside the pool: while both nodes are up, a moment comes
        // when none of the pool's connections is borrowed (the beats borrow one for a batch now and then).
        Await.until(TIMEOUT, () -> app.getHikariPoolMXBean().getActiveConnections() == 0,
                "no pool connection held for LISTEN");

        a.close();
        b.close();
        assertThat(app.isClosed()).as("the application's pool stays open").isFalse();
        try (Connection c = app.getConnection(); Statement st = c.createStatement()) {
            assertThat(st.execute("SELECT 1")).isTrue();
        }
    }

    @Test
    void theRepositoryQueriesThroughTheApplicationsPoolAndLeavesItOpen() throws Exception {
        PostgresRepository repo = PostgresRepository.create(app, prefix + "_tasks");
        assertThat(repo.options().url()).isNull();
        ObjectNode created = repo.create(new ObjectMapper().createObjectNode().put("title", "write docs"));
        assertThat(repo.get(created.path("id").asText())).contains(created);
        assertThat(app.getHikariPoolMXBean().getTotalConnections()).as("the repository borrowed from it")
                .isPositive();
        repo.close();
        assertThat(app.isClosed()).as("the application's pool stays open").isFalse();
        try (Connection c = app.getConnection(); Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM " + prefix + "_tasks")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(1);
        }
    }
}
