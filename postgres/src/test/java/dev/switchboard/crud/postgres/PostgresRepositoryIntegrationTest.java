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
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link PostgresRepository} adds to the repository contract (which {@link PostgresRepositoryCompatibilityTest}
 * proves): ids counted from 1 by a sequence, conflicts that name both versions, SQL injection attempts in sort and
 * filter names, and versions bumped by updates made outside the repository.
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
    void idsComeFromASequenceAndConflictsNameBothVersions() {
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
}
