package dev.switchboard.crud.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import dev.switchboard.ErrorCode;
import dev.switchboard.SwitchboardException;
import dev.switchboard.crud.Query;
import dev.switchboard.crud.Repositories;
import dev.switchboard.crud.SortField;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link MongoRepository} adds to the repository contract (which {@link MongoRepositoryCompatibilityTest}
 * proves), against mongo-java-server (or SWITCHBOARD_TEST_MONGO_URI): ObjectId ids, operators and paths refused
 * in filters and writes, documents other programs wrote, outages, the URI factory.
 */
class MongoRepositoryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static MongoTarget target;
    private static MongoClient client;
    private MongoCollection<Document> collection;
    private MongoRepository repo;

    @BeforeAll
    static void startServer() {
        target = MongoTarget.start();
        client = MongoClients.create(target.uri());
    }

    @AfterAll
    static void stopServer() {
        client.close();
        target.close();
    }

    @BeforeEach
    void freshCollection() {
        collection = client.getDatabase("repo_test").getCollection("tasks_" + UUID.randomUUID().toString().substring(0, 8));
        repo = MongoRepository.create(collection);
    }

    private static ObjectNode item(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Query query(int page, int size, String sort, String filters) {
        List<SortField> s = new ArrayList<>();
        for (String p : sort.isEmpty() ? new String[0] : sort.split(",")) {
            s.add(new SortField(p.replace("-", ""), p.startsWith("-")));
        }
        Map<String, JsonNode> f = new java.util.LinkedHashMap<>();
        item(filters).fields().forEachRemaining(e -> f.put(e.getKey(), e.getValue()));
        return new Query(page, size, s, f);
    }

    private static void assertCode(ErrorCode code, ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(SwitchboardException.class)
                .satisfies(e -> assertThat(((SwitchboardException) e).code()).isEqualTo(code));
    }

    @Test
    void idsAreObjectIdsAndStoredFieldsKeepTheirOrder() {
        ObjectNode created = repo.create(item("{\"id\":\"x\",\"version\":9,\"title\":\"Write docs\",\"n\":1.5,"
                + "\"tags\":[\"a\",{\"k\":true}]}"));
        String id = created.get("id").asText();
        assertThat(ObjectId.isValid(id)).isTrue();
        assertThat(created.toString()).startsWith("{\"id\":\"" + id + "\",\"title\":\"Write docs\"")
                .endsWith(",\"version\":1}");
        assertThat(collection.find(new Document("_id", new ObjectId(id))).first()).isNotNull();
    }

    @Test
    void treatsFilterValuesAndNamesAsLiteralsNeverOperators() {
        repo.create(item("{\"title\":\"a\",\"status\":\"x\",\"secret\":\"s\"}"));
        repo.create(item("{\"title\":\"b\",\"status\":\"y\",\"secret\":\"t\"}"));
        assertCode(ErrorCode.BAD_REQUEST, () -> repo.list(query(1, 10, "", "{\"status\":{\"$gt\":\"\"}}")));
        assertCode(ErrorCode.BAD_REQUEST, () -> repo.list(query(1, 10, "", "{\"status\":{\"$ne\":null}}")));
        assertCode(ErrorCode.BAD_REQUEST, () -> repo.list(query(1, 10, "", "{\"status\":[\"x\",\"y\"]}")));
        assertCode(ErrorCode.BAD_REQUEST, () -> repo.list(query(1, 10, "", "{\"$where\":\"sleep(5000) || true\"}")));
        assertCode(ErrorCode.BAD_REQUEST, () -> repo.list(query(1, 10, "", "{\"$or\":\"x\"}")));
        assertCode(ErrorCode.BAD_REQUEST, () -> repo.list(query(1, 10, "", "{\"status.x\":\"x\"}")));
        assertCode(ErrorCode.BAD_REQUEST, () -> repo.list(query(1, 10, "", "{\"_id\":\"x\"}")));
        assertCode(ErrorCode.BAD_REQUEST, () -> repo.list(query(1, 10, "$where", "{}")));
        assertCode(ErrorCode.BAD_REQUEST, () -> repo.list(query(1, 10, "a.b", "{}")));
        // Strings that look like operators are just strings: they match nothing here.
        assertThat(repo.list(query(1, 10, "", "{\"status\":\"{\\\"$gt\\\":\\\"\\\"}\"}")).total()).isZero();
        assertThat(repo.list(query(1, 10, "", "{\"status\":\"$gt\"}")).total()).isZero();
        assertThat(repo.list(query(1, 10, "", "{\"id\":\"{\\\"$ne\\\":null}\"}")).total()).isZero();
        // Writes refuse names MongoDB would read as operators or paths, at any depth.
        assertCode(ErrorCode.BAD_REQUEST, () -> repo.create(item("{\"$set\":{\"secret\":\"pwned\"}}")));
        assertCode(ErrorCode.BAD_REQUEST, () -> repo.create(item("{\"a\":{\"$where\":\"1\"}}")));
        assertCode(ErrorCode.BAD_REQUEST, () -> repo.create(item("{\"a.b\":1}")));
        assertCode(ErrorCode.BAD_REQUEST, () -> repo.create(item("{\"_id\":\"mine\"}")));
        assertThat(repo.list(query(1, 10, "", "{}")).total()).isEqualTo(2);
        // With an allowed set, other fields are refused.
        MongoRepository narrow = MongoRepository.create(collection, Set.of("title", "status"));
        assertCode(ErrorCode.BAD_REQUEST, () -> narrow.list(query(1, 10, "", "{\"secret\":\"s\"}")));
        assertCode(ErrorCode.BAD_REQUEST, () -> narrow.list(query(1, 10, "secret", "{}")));
        assertThat(narrow.list(query(1, 10, "-title", "{\"status\":\"x\"}")).total()).isEqualTo(1);
    }

    @Test
    void servesDocumentsOtherProgramsWrote() {
        ObjectId oid = new ObjectId();
        collection.insertOne(new Document("_id", oid).append("title", "by the driver"));
        collection.insertOne(new Document("_id", 42).append("title", "numbered").append("version", 7));
        collection.insertOne(new Document("_id", "k1").append("title", "keyed"));
        ObjectNode a = repo.get(oid.toHexString()).orElseThrow();
        assertThat(a.get("version").asLong()).isZero();
        assertThat(repo.replace(oid.toHexString(), item("{\"title\":\"now mine\"}"), 0L).get("version").asLong())
                .isEqualTo(1);
        assertThat(repo.get("42").orElseThrow().get("version").asLong()).isEqualTo(7);
        assertThat(repo.get("k1").orElseThrow().get("title").asText()).isEqualTo("keyed");
    }

    @Test
    void reportsAnOutageAsUnavailable() {
        try (var own = dev.switchboard.backplane.mongo.MongoTestServer.start();
             MongoClient shortClient = MongoClients.create(own.uri() + "/?serverSelectionTimeoutMS=500")) {
            MongoRepository r = MongoRepository.create(shortClient.getDatabase("repo_test").getCollection("outage"));
            own.stop();
            assertCode(ErrorCode.UNAVAILABLE, () -> r.get("1"));
        }
    }

    @Test
    void theFactoryResolvesMongoUris() {
        String uri = target.uri() + "/factory_db?switchboardNamespace=ignored";
        assertThat(Repositories.fromUri(uri, "tasks")).isInstanceOf(MongoRepository.class);
        assertThat(((MongoRepository) Repositories.fromUri(uri, "tasks")).collection().getNamespace().getFullName())
                .isEqualTo("factory_db.tasks");
        try (var feed = Repositories.changeFeedFromUri(uri, "tasks")) {
            assertThat(feed).isInstanceOf(MongoChangeFeed.class);
        }
    }
}
