package dev.switchboard.crud.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.ErrorCode;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.backplane.postgres.TestClient;
import dev.switchboard.backplane.postgres.TestPostgres;
import dev.switchboard.crud.CollectionOptions;
import dev.switchboard.crud.InMemoryRepository;
import dev.switchboard.crud.Page;
import dev.switchboard.crud.Query;
import dev.switchboard.crud.SortField;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PostgresRepository} against a real server: the Repository contract, LIST semantics equal to
 * {@link InMemoryRepository}'s, optimistic concurrency under concurrent writers, SQL injection attempts
 * in sort and filter names, and versions bumped by updates made outside the repository.
 */
class PostgresRepositoryIntegrationTest {
    private static final ObjectMapper M = new ObjectMapper();
    private final String table = "repo_" + UUID.randomUUID().toString().substring(0, 8);
    private PostgresRepository repo;

    TestPostgres server() {
        return TestPostgres.embedded();
    }

    PostgresTableOptions.Builder options(String name) {
        TestPostgres s = server();
        return PostgresTableOptions.builder(name).url(s.jdbcUrl()).user(s.user()).password(s.password());
    }

    @BeforeEach
    void createRepository() {
        repo = PostgresRepository.create(options(table).build());
    }

    @AfterEach
    void closeRepository() {
        repo.close();
        server().dropTables(table);
    }

    private static ObjectNode json(String s) {
        try {
            return (ObjectNode) M.readTree(s.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Compares as JSON values (the repository's versions are longs, parsed literals ints). */
    private static void same(JsonNode actual, ObjectNode expected) {
        try {
            assertThat(M.readTree(actual.toString())).isEqualTo(expected);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void followsTheRepositoryContract() {
        ObjectNode created = repo.create(json("{'title':'Write docs','status':'todo','id':'ignored','version':9}"));
        same(created, json("{'id':'1','title':'Write docs','status':'todo','version':1}"));
        assertThat(repo.get("1")).contains(created);
        assertThat(repo.get("nope")).isEmpty();

        ObjectNode replaced = repo.replace("1", json("{'title':'Docs','status':'done'}"), 1L);
        same(replaced, json("{'id':'1','title':'Docs','status':'done','version':2}"));
        assertThat(repo.replace("1", json("{'title':'Docs 2'}"), null).path("version").asLong()).isEqualTo(3);

        assertThatThrownBy(() -> repo.replace("1", json("{'title':'stale'}"), 2L))
                .isInstanceOfSatisfying(SwitchboardException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
                    assertThat(e.getMessage()).isEqualTo("1 is at version 3, not 2");
                });
        assertThatThrownBy(() -> repo.replace("7", json("{'title':'x'}"), null))
                .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> repo.replace("7", json("{'title':'x'}"), 1L))
                .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> repo.delete("1", 1L))
                .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
        assertThat(repo.delete("1", 3L)).hasValueSatisfying(d -> assertThat(d.path("title").asText()).isEqualTo("Docs 2"));
        assertThat(repo.delete("1", null)).isEmpty();
        assertThat(repo.delete("1", 5L)).isEmpty();
        assertThat(repo.create(json("{'title':'next'}")).path("id").asText()).isEqualTo("2");
    }

    @Test
    void listBehavesLikeTheInMemoryRepository() {
        InMemoryRepository memory = InMemoryRepository.create();
        List<String> items = List.of(
                "{'title':'b','status':'todo','rank':2}",
                "{'title':'a','status':'done','rank':10}",
                "{'title':'c','status':'todo'}",
                "{'title':'B','status':'doing','rank':2.5,'flag':false}",
                "{'title':'a','status':'todo','rank':-1,'flag':true}",
                "{'title':'\u00e9t\u00e9','status':null,'rank':3}",
                "{'title':'Z','status':'done','rank':2.0,'tags':['x']}",
                "{'status':'todo','rank':7,'flag':true}");
        for (String i : items) {
            memory.create(json(i));
            repo.create(json(i));
        }
        List<Query> queries = new ArrayList<>();
        for (String sort : List.of("", "title", "-title", "rank", "-rank", "status,-rank", "-status,title",
                "flag,rank", "id", "-version,title", "tags")) {
            queries.add(query(1, 100, sort, Map.of()));
        }
        queries.add(query(1, 100, "", Map.of("status", M.getNodeFactory().textNode("todo"))));
        queries.add(query(1, 100, "-rank", Map.of("status", M.getNodeFactory().textNode("todo"))));
        queries.add(query(1, 100, "", Map.of("rank", M.getNodeFactory().numberNode(2))));
        queries.add(query(1, 100, "", Map.of("rank", M.getNodeFactory().textNode("2"))));
        queries.add(query(1, 100, "", Map.of("rank", M.getNodeFactory().textNode("2.5"))));
        queries.add(query(1, 100, "", Map.of("flag", M.getNodeFactory().booleanNode(true))));
        queries.add(query(1, 100, "", Map.of("flag", M.getNodeFactory().textNode("false"))));
        queries.add(query(1, 100, "", Map.of("status", M.getNodeFactory().nullNode())));
        queries.add(query(1, 100, "", Map.of("status", M.getNodeFactory().textNode("null"))));
        queries.add(query(1, 100, "", Map.of("title", M.getNodeFactory().textNode("\u00e9t\u00e9"))));
        queries.add(query(1, 100, "", Map.of("id", M.getNodeFactory().textNode("3"))));
        queries.add(query(1, 100, "", Map.of("version", M.getNodeFactory().numberNode(1))));
        queries.add(query(1, 100, "", Map.of("title", M.getNodeFactory().textNode("x' OR '1'='1"))));
        queries.add(query(1, 100, "", Map.of("status", M.getNodeFactory().textNode("todo"),
                "flag", M.getNodeFactory().booleanNode(true))));
        queries.add(query(2, 3, "title", Map.of()));
        queries.add(query(3, 3, "-rank", Map.of()));
        queries.add(query(9, 3, "title", Map.of()));
        queries.add(query(2, 2, "", Map.of("status", M.getNodeFactory().textNode("todo"))));
        for (Query q : queries) {
            Page expected = memory.list(q);
            Page actual = repo.list(q);
            assertThat(actual.items()).as("items of %s", q).isEqualTo(expected.items());
            assertThat(actual.total()).as("total of %s", q).isEqualTo(expected.total());
            assertThat(actual.page()).isEqualTo(expected.page());
            assertThat(actual.size()).isEqualTo(expected.size());
        }
    }

    private static Query query(int page, int size, String sort, Map<String, JsonNode> filters) {
        List<SortField> fields = new ArrayList<>();
        for (String s : sort.split(",")) {
            if (!s.isEmpty()) {
                fields.add(new SortField(s.replace("-", ""), s.startsWith("-")));
            }
        }
        return new Query(page, size, fields, filters);
    }

    @Test
    void ofConcurrentWritersWithTheSameVersionExactlyOneWins() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 5; round++) {
                ObjectNode item = repo.create(json("{'title':'race'}"));
                String id = item.path("id").asText();
                CountDownLatch go = new CountDownLatch(1);
                List<Future<String>> writers = new ArrayList<>();
                for (int w = 0; w < 8; w++) {
                    int n = w;
                    writers.add(pool.submit(() -> {
                        go.await();
                        try {
                            repo.replace(id, json("{'title':'writer " + n + "'}"), 1L);
                            return "won";
                        } catch (SwitchboardException e) {
                            return e.code().wire();
                        }
                    }));
                }
                go.countDown();
                List<String> outcomes = new ArrayList<>();
                for (Future<String> f : writers) {
                    outcomes.add(f.get(20, TimeUnit.SECONDS));
                }
                assertThat(outcomes).filteredOn("won"::equals).hasSize(1);
                assertThat(outcomes).filteredOn("conflict"::equals).hasSize(7);
                assertThat(repo.get(id).orElseThrow().path("version").asLong()).isEqualTo(2);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sqlInjectionInSortAndFilterNamesIsABadRequestAndTheTableStaysIntact() throws Exception {
        repo.create(json("{'title':'keep me','status':'todo'}"));
        // One collection limited to known fields (the core refuses others), one open to any field (the
        // repository refuses names that are not plain); both must answer bad_request.
        PostgresRepository open = PostgresRepository.create(options(table).build());
        try (Switchboard board = Switchboard.builder().build()) {
            board.crud("tasks", repo, CollectionOptions.builder().fields("title", "status").build());
            board.crud("open", open, CollectionOptions.defaults());
            TestClient client = TestClient.connect(board);
            List<String> attacks = List.of("status; DROP TABLE " + table, "title') OR 1=1 --",
                    "title\" DESC; DELETE FROM " + table + "; --", "doc->>'title'", "(SELECT 1)");
            for (String collection : List.of("tasks", "open")) {
                for (String attack : attacks) {
                    ObjectNode sort = json("{'collection':'" + collection + "'}").put("sort", "-" + attack);
                    assertThat(client.request("LIST", sort).path("error").path("code").asText())
                            .as("sort on %s in %s", attack, collection).isEqualTo("bad_request");
                    ObjectNode filter = json("{'collection':'" + collection + "','filters':{}}");
                    ((ObjectNode) filter.get("filters")).put(attack, "x");
                    assertThat(client.request("LIST", filter).path("error").path("code").asText())
                            .as("filter on %s in %s", attack, collection).isEqualTo("bad_request");
                }
                ObjectNode valueAttack = json("{'collection':'" + collection + "','filters':{}}");
                ((ObjectNode) valueAttack.get("filters")).put("title", "x' OR '1'='1");
                assertThat(client.request("LIST", valueAttack).path("data").path("total").asLong()).isZero();
            }
        } finally {
            open.close();
        }
        try (Connection c = server().connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(1);
        }
        assertThat(repo.get("1").orElseThrow().path("title").asText()).isEqualTo("keep me");
    }

    @Test
    void anUpdateMadeInPsqlBumpsTheVersionSoStaleWritersGetAConflict() throws Exception {
        repo.create(json("{'title':'t','status':'todo'}"));
        try (Connection c = server().connect(); Statement st = c.createStatement()) {
            st.execute("UPDATE " + table + " SET doc = jsonb_set(doc, '{status}', '\"done\"') WHERE id = '1'");
            st.execute("INSERT INTO " + table + " (doc) VALUES ('{\"title\":\"from psql\"}')");
        }
        same(repo.get("1").orElseThrow(), json("{'id':'1','title':'t','status':'done','version':2}"));
        assertThatThrownBy(() -> repo.replace("1", json("{'title':'stale'}"), 1L))
                .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
        same(repo.get("2").orElseThrow(), json("{'id':'2','title':'from psql','version':1}"));
        // a psql INSERT that took an id the sequence will give next does not break create
        try (Connection c = server().connect(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO " + table + " (id, doc) VALUES ('3', '{}')");
        }
        assertThat(repo.create(json("{'title':'after'}")).path("id").asText()).isEqualTo("4");
    }

    @Test
    void theQuotaBoundsItemCountAndItemSize() {
        String quoted = table + "_q";
        try (PostgresRepository limited = PostgresRepository.create(options(quoted)
                .quota(dev.switchboard.crud.Quota.of(2, 100)).build())) {
            limited.create(json("{'n':1}"));
            ObjectNode second = limited.create(json("{'n':2}"));
            assertThatThrownBy(() -> limited.create(json("{'n':3}")))
                    .isInstanceOfSatisfying(dev.switchboard.crud.QuotaExceededException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE);
                        assertThat(e.limit()).isEqualTo(dev.switchboard.crud.QuotaExceededException.Limit.ITEM_COUNT);
                    });
            ObjectNode big = json("{'s':'" + "x".repeat(200) + "'}");
            assertThatThrownBy(() -> limited.replace(second.get("id").asText(), big, null))
                    .isInstanceOfSatisfying(dev.switchboard.crud.QuotaExceededException.class,
                            e -> assertThat(e.limit()).isEqualTo(dev.switchboard.crud.QuotaExceededException.Limit.ITEM_BYTES));
            assertThat(limited.list(new Query(1, 10, List.of(), Map.of())).total()).isEqualTo(2);
            limited.delete(second.get("id").asText(), null);
            assertThat(limited.create(json("{'n':4}")).get("n").asInt()).isEqualTo(4);
        } finally {
            server().dropTables(quoted);
        }
    }
}
