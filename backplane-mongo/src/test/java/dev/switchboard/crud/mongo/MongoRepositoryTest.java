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
import dev.switchboard.crud.Page;
import dev.switchboard.crud.Query;
import dev.switchboard.crud.Repositories;
import dev.switchboard.crud.SortField;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.ThrowableAssert;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MongoRepository against mongo-java-server (or SWITCHBOARD_TEST_MONGO_URI). */
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
    void createsGetsReplacesAndDeletesWithVersions() {
        ObjectNode created = repo.create(item("{\"id\":\"x\",\"version\":9,\"title\":\"Write docs\",\"n\":1.5,"
                + "\"tags\":[\"a\",{\"k\":true}]}"));
        String id = created.get("id").asText();
        assertThat(ObjectId.isValid(id)).isTrue();
        assertThat(created.get("version").asLong()).isEqualTo(1);
        assertThat(repo.get(id)).contains(created);
        assertThat(created.toString()).startsWith("{\"id\":\"" + id + "\",\"title\":\"Write docs\"")
                .endsWith(",\"version\":1}");
        assertThat(created.get("tags").get(1).get("k").asBoolean()).isTrue();

        ObjectNode replaced = repo.replace(id, item("{\"title\":\"Docs\"}"), 1L);
        assertThat(replaced.get("version").asLong()).isEqualTo(2);
        assertThat(replaced.has("n")).isFalse();
        assertCode(ErrorCode.CONFLICT, () -> repo.replace(id, item("{\"title\":\"late\"}"), 1L));
        assertThat(repo.replace(id, item("{\"title\":\"any\"}"), null).get("version").asLong()).isEqualTo(3);
        assertCode(ErrorCode.CONFLICT, () -> repo.delete(id, 2L));
        assertThat(repo.delete(id, 3L)).isPresent();
        assertThat(repo.get(id)).isEmpty();
        assertThat(repo.delete(id, null)).isEmpty();
        assertCode(ErrorCode.NOT_FOUND, () -> repo.replace(id, item("{}"), null));
        assertThat(repo.get("no-such-id")).isEmpty();
    }

    @Test
    void listsPagesSortedAndFiltered() {
        for (int i = 1; i <= 25; i++) {
            repo.create(item("{\"title\":\"t" + (i % 5) + "\",\"status\":\"" + (i % 2 == 0 ? "done" : "todo")
                    + "\",\"rank\":" + i + "}"));
        }
        Page all = repo.list(query(1, 100, "", "{}"));
        assertThat(all.total()).isEqualTo(25);
        Page p2 = repo.list(query(2, 10, "-rank", "{}"));
        assertThat(p2.items()).extracting(i -> i.get("rank").asInt()).containsExactly(15, 14, 13, 12, 11, 10, 9, 8, 7, 6);
        assertThat(p2.total()).isEqualTo(25);
        assertThat(p2.page()).isEqualTo(2);
        Page todo = repo.list(query(1, 100, "title,-rank", "{\"status\":\"todo\"}"));
        assertThat(todo.total()).isEqualTo(13);
        assertThat(todo.items()).allSatisfy(i -> assertThat(i.get("status").asText()).isEqualTo("todo"));
        assertThat(todo.items().get(0).get("title").asText()).isEqualTo("t0");
        // Numbers compare numerically; a text filter also matches a number with that text.
        assertThat(repo.list(query(1, 10, "", "{\"rank\":7}")).total()).isEqualTo(1);
        assertThat(repo.list(query(1, 10, "", "{\"rank\":\"7\"}")).total()).isEqualTo(1);
        String id = all.items().get(3).get("id").asText();
        assertThat(repo.list(query(1, 10, "", "{\"id\":\"" + id + "\"}")).items())
                .extracting(i -> i.get("id").asText()).containsExactly(id);
        // Equal keys keep id (creation) order.
        Page byStatus = repo.list(query(1, 100, "status", "{}"));
        List<String> doneIds = byStatus.items().stream().filter(i -> i.get("status").asText().equals("done"))
                .map(i -> i.get("id").asText()).toList();
        assertThat(doneIds).isSorted();
        assertThat(repo.list(query(9, 10, "", "{}")).items()).isEmpty();
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
    void exactlyOneOfTwoConcurrentWritersWins() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                String id = repo.create(item("{\"title\":\"start\"}")).get("id").asText();
                CountDownLatch go = new CountDownLatch(1);
                List<Future<ObjectNode>> writers = new ArrayList<>();
                for (int w = 0; w < 2; w++) {
                    int k = w;
                    writers.add(pool.submit(() -> {
                        go.await();
                        return repo.replace(id, item("{\"title\":\"writer " + k + "\"}"), 1L);
                    }));
                }
                go.countDown();
                int won = 0;
                int conflicts = 0;
                for (Future<ObjectNode> f : writers) {
                    try {
                        assertThat(f.get().get("version").asLong()).isEqualTo(2);
                        won++;
                    } catch (java.util.concurrent.ExecutionException e) {
                        assertThat(e.getCause()).isInstanceOf(SwitchboardException.class);
                        assertThat(((SwitchboardException) e.getCause()).code()).isEqualTo(ErrorCode.CONFLICT);
                        conflicts++;
                    }
                }
                assertThat(won).as("round " + round).isEqualTo(1);
                assertThat(conflicts).isEqualTo(1);
                assertThat(repo.get(id).orElseThrow().get("version").asLong()).isEqualTo(2);
            }
        } finally {
            pool.shutdownNow();
        }
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

    @Test
    void theQuotaBoundsItemCountAndItemSize() throws Exception {
        MongoRepository limited = MongoRepository.create(collection, Set.of(), dev.switchboard.crud.Quota.of(2, 100));
        limited.create((ObjectNode) JSON.readTree("{\"n\":1}"));
        ObjectNode second = limited.create((ObjectNode) JSON.readTree("{\"n\":2}"));
        assertThatThrownBy(() -> limited.create((ObjectNode) JSON.readTree("{\"n\":3}")))
                .isInstanceOfSatisfying(dev.switchboard.crud.QuotaExceededException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE);
                    assertThat(e.limit()).isEqualTo(dev.switchboard.crud.QuotaExceededException.Limit.ITEM_COUNT);
                });
        ObjectNode big = (ObjectNode) JSON.readTree("{\"s\":\"" + "x".repeat(200) + "\"}");
        assertThatThrownBy(() -> limited.replace(second.get("id").asText(), big, null))
                .isInstanceOfSatisfying(dev.switchboard.crud.QuotaExceededException.class,
                        e -> assertThat(e.limit()).isEqualTo(dev.switchboard.crud.QuotaExceededException.Limit.ITEM_BYTES));
        assertThat(collection.countDocuments()).isEqualTo(2);
    }
}
