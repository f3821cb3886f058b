package dev.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.ErrorCode;
import dev.switchboard.SwitchboardException;
import dev.switchboard.crud.InMemoryRepository;
import dev.switchboard.crud.Page;
import dev.switchboard.crud.Query;
import dev.switchboard.crud.Quota;
import dev.switchboard.crud.QuotaExceededException;
import dev.switchboard.crud.Repository;
import dev.switchboard.crud.SortField;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Repository} proves, as one abstract JUnit class its tests extend: ids and
 * versions, optimistic concurrency (one winner among concurrent writers of the same version), LIST with
 * exactly the semantics of {@link InMemoryRepository} (the reference: sorting across types, numeric and
 * text filters, nulls, paging), filter values taken as literals, and quotas.
 *
 * <pre>{@code
 * class PostgresRepositoryCompatibilityTest extends RepositoryCompatibilityKit {
 *     protected Repository createRepository(Quota quota) {
 *         return PostgresRepository.create(options(table()).quota(quota).build());
 *     }
 * }
 * }</pre>
 *
 * <p>What a technology adds on top (its own ids, documents written by other programs, injection through
 * field names, outages) stays in that module's own tests.
 */
public abstract class RepositoryCompatibilityKit {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private final List<Repository> created = new ArrayList<>();

    /**
     * A fresh, empty repository for one test; several may be asked for in one test and must not share
     * items.
     *
     * @param quota its limits ({@link Quota#unlimited()} in most tests)
     * @return the repository
     */
    protected abstract Repository createRepository(Quota quota);

    /**
     * Releases a repository after its test (drop its table or collection, close its pool); the default
     * closes it when it is {@link AutoCloseable}.
     *
     * @param repository one that {@link #createRepository} made
     * @throws Exception on failure, which fails the test
     */
    protected void dispose(Repository repository) throws Exception {
        if (repository instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    /** @return a fresh repository without limits, disposed of after the test */
    protected final Repository repository() {
        return repository(Quota.unlimited());
    }

    /** @return a fresh repository with a quota, disposed of after the test */
    protected final Repository repository(Quota quota) {
        Repository r = createRepository(quota);
        created.add(r);
        return r;
    }

    @AfterEach
    void disposeRepositories() throws Exception {
        for (Repository r : created) {
            dispose(r);
        }
        created.clear();
    }

    /** @return the JSON object, with {@code '} for {@code "} */
    protected static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static void assertCode(ErrorCode code, ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(SwitchboardException.class,
                e -> assertThat(e.code()).isEqualTo(code));
    }

    /** Compares as JSON values: a repository may read versions back as longs, parsed literals are ints. */
    private static void assertSameJson(JsonNode actual, ObjectNode expected) {
        try {
            assertThat(JSON.readTree(actual.toString())).isEqualTo(JSON.readTree(expected.toString()));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    // ---- ids, versions, optimistic concurrency ----

    @Test
    void createAssignsAnIdAndVersionOneAndGetReadsItBack() {
        Repository repo = repository();
        ObjectNode created = repo.create(json("{'title':'Write docs','status':'todo','n':1.5,'tags':['a',{'k':true}],"
                + "'id':'ignored','version':9}"));
        String id = created.path("id").asText();
        assertThat(id).isNotEmpty().isNotEqualTo("ignored");
        assertThat(created.path("version").asLong()).isEqualTo(1);
        ObjectNode expected = json("{'title':'Write docs','status':'todo','n':1.5,'tags':['a',{'k':true}]}");
        expected.put("id", id).put("version", 1);
        assertSameJson(created, expected);
        assertSameJson(repo.get(id).orElseThrow(), expected);
        assertThat(repo.get("no-such-id")).isEmpty();
        String second = repo.create(json("{'title':'next'}")).path("id").asText();
        assertThat(second).isNotEqualTo(id);
    }

    @Test
    void replaceChecksTheVersionAndBumpsIt() {
        Repository repo = repository();
        String id = repo.create(json("{'title':'Write docs','status':'todo'}")).path("id").asText();

        ObjectNode replaced = repo.replace(id, json("{'title':'Docs','id':'other','version':40}"), 1L);
        ObjectNode expected = json("{'title':'Docs'}").put("id", id).put("version", 2);
        assertSameJson(replaced, expected);
        assertThat(replaced.has("status")).as("replace drops fields it does not carry").isFalse();
        assertThat(repo.replace(id, json("{'title':'Docs 2'}"), null).path("version").asLong()).isEqualTo(3);
        assertCode(ErrorCode.CONFLICT, () -> repo.replace(id, json("{'title':'stale'}"), 2L));
        assertThat(repo.get(id).orElseThrow().path("title").asText()).isEqualTo("Docs 2");
    }

    @Test
    void replacingAMissingItemIsNotFound() {
        Repository repo = repository();
        String id = repo.create(json("{'title':'t'}")).path("id").asText();
        repo.delete(id, null);
        assertCode(ErrorCode.NOT_FOUND, () -> repo.replace(id, json("{'title':'x'}"), null));
        assertCode(ErrorCode.NOT_FOUND, () -> repo.replace(id, json("{'title':'x'}"), 1L));
    }

    @Test
    void deleteChecksTheVersionAndReturnsWhatItRemoved() {
        Repository repo = repository();
        String id = repo.create(json("{'title':'t'}")).path("id").asText();
        repo.replace(id, json("{'title':'t2'}"), null);
        assertCode(ErrorCode.CONFLICT, () -> repo.delete(id, 1L));
        assertThat(repo.get(id)).isPresent();
        assertThat(repo.delete(id, 2L)).hasValueSatisfying(d -> assertThat(d.path("title").asText()).isEqualTo("t2"));
        assertThat(repo.get(id)).isEmpty();
        assertThat(repo.delete(id, null)).isEmpty();
        assertThat(repo.delete(id, 5L)).isEmpty();
    }

    @Test
    void ofConcurrentWritersWithTheSameVersionExactlyOneWins() throws Exception {
        Repository repo = repository();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 5; round++) {
                String id = repo.create(json("{'title':'race'}")).path("id").asText();
                CountDownLatch go = new CountDownLatch(1);
                List<Future<String>> writers = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
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
                    outcomes.add(f.get(30, TimeUnit.SECONDS));
                }
                assertThat(outcomes).as("round %d", round).filteredOn("won"::equals).hasSize(1);
                assertThat(outcomes).filteredOn("conflict"::equals).hasSize(3);
                assertThat(repo.get(id).orElseThrow().path("version").asLong()).isEqualTo(2);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- LIST: the in-memory repository's semantics ----

    @Test
    void listBehavesLikeTheInMemoryRepository() {
        Repository repo = repository();
        InMemoryRepository reference = InMemoryRepository.create();
        List<String> items = List.of(
                "{'title':'b','status':'todo','rank':2}",
                "{'title':'a','status':'done','rank':10}",
                "{'title':'c','status':'todo'}",
                "{'title':'B','status':'doing','rank':2.5,'flag':false}",
                "{'title':'a','status':'todo','rank':-1,'flag':true}",
                "{'title':'\u00e9t\u00e9','status':null,'rank':3}",
                "{'title':'Z','status':'done','rank':2.0,'tags':['x']}",
                "{'status':'todo','rank':7,'flag':true}");
        // Ids differ between repositories: compare items by their creation index instead.
        Map<String, Integer> referenceOrdinals = new HashMap<>();
        Map<String, Integer> ordinals = new HashMap<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            referenceOrdinals.put(reference.create(json(items.get(i))).path("id").asText(), i);
            String id = repo.create(json(items.get(i))).path("id").asText();
            ordinals.put(id, i);
            ids.add(id);
        }
        List<Query> queries = new ArrayList<>();
        // "id" and "version" sorts are left out: ids differ between repositories by design.
        for (String sort : List.of("", "title", "-title", "rank", "-rank", "status,-rank", "-status,title",
                "flag,rank", "tags")) {
            queries.add(query(1, 100, sort, Map.of()));
        }
        queries.add(query(1, 100, "", Map.of("status", NODES.textNode("todo"))));
        queries.add(query(1, 100, "-rank", Map.of("status", NODES.textNode("todo"))));
        queries.add(query(1, 100, "", Map.of("rank", NODES.numberNode(2))));
        queries.add(query(1, 100, "", Map.of("rank", NODES.textNode("2"))));
        queries.add(query(1, 100, "", Map.of("rank", NODES.textNode("2.5"))));
        queries.add(query(1, 100, "", Map.of("flag", NODES.booleanNode(true))));
        queries.add(query(1, 100, "", Map.of("flag", NODES.textNode("false"))));
        queries.add(query(1, 100, "", Map.of("status", NODES.nullNode())));
        queries.add(query(1, 100, "", Map.of("status", NODES.textNode("null"))));
        queries.add(query(1, 100, "", Map.of("flag", NODES.nullNode())));   // null is not "absent"
        queries.add(query(1, 100, "", Map.of("title", NODES.textNode("null"))));
        queries.add(query(1, 100, "", Map.of("title", NODES.textNode("\u00e9t\u00e9"))));
        queries.add(query(1, 100, "", Map.of("version", NODES.numberNode(1))));
        queries.add(query(1, 100, "", Map.of("status", NODES.textNode("todo"), "flag", NODES.booleanNode(true))));
        queries.add(query(2, 3, "title", Map.of()));
        queries.add(query(3, 3, "-rank", Map.of()));
        queries.add(query(9, 3, "title", Map.of()));
        queries.add(query(2, 2, "", Map.of("status", NODES.textNode("todo"))));
        for (Query q : queries) {
            Page expected = reference.list(q);
            Page actual = repo.list(q);
            assertThat(byOrdinal(actual.items(), ordinals)).as("items of %s", q)
                    .isEqualTo(byOrdinal(expected.items(), referenceOrdinals));
            assertThat(actual.total()).as("total of %s", q).isEqualTo(expected.total());
            assertThat(actual.page()).isEqualTo(expected.page());
            assertThat(actual.size()).isEqualTo(expected.size());
        }
        // A filter on id finds the one item, whatever the ids look like.
        Page one = repo.list(query(1, 10, "", Map.of("id", NODES.textNode(ids.get(2)))));
        assertThat(one.items()).extracting(i -> i.path("id").asText()).containsExactly(ids.get(2));
        assertThat(one.total()).isEqualTo(1);
    }

    @Test
    void equalSortKeysKeepCreationOrder() {
        Repository repo = repository();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(repo.create(json("{'status':'" + (i % 2 == 0 ? "done" : "todo") + "','n':" + i + "}"))
                    .path("id").asText());
        }
        Page page = repo.list(query(1, 100, "status", Map.of()));
        assertThat(page.items()).extracting(i -> i.path("n").asInt())
                .containsExactly(0, 2, 4, 6, 8, 10, 1, 3, 5, 7, 9, 11);
        assertThat(repo.list(query(1, 100, "", Map.of())).items()).extracting(i -> i.path("id").asText())
                .containsExactlyElementsOf(ids);
    }

    @Test
    void filterValuesAreLiteralsNeverQueryLanguage() {
        Repository repo = repository();
        repo.create(json("{'title':'a','status':'x'}"));
        repo.create(json("{'title':'b','status':'y'}"));
        for (String attack : List.of("x' OR '1'='1", "{\"$gt\":\"\"}", "$gt", "%", "_", ".*", "x\" OR \"1\"=\"1")) {
            assertThat(repo.list(query(1, 10, "", Map.of("status", NODES.textNode(attack)))).total())
                    .as("filter value %s", attack).isZero();
        }
        assertThat(repo.list(query(1, 10, "", Map.of())).total()).isEqualTo(2);
    }

    // ---- quotas ----

    @Test
    void theQuotaBoundsItemCountAndItemSize() {
        Repository limited = repository(Quota.of(2, 100));
        limited.create(json("{'n':1}"));
        ObjectNode second = limited.create(json("{'n':2}"));
        assertThatThrownBy(() -> limited.create(json("{'n':3}")))
                .isInstanceOfSatisfying(QuotaExceededException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE);
                    assertThat(e.limit()).isEqualTo(QuotaExceededException.Limit.ITEM_COUNT);
                });
        ObjectNode big = json("{'s':'" + "x".repeat(200) + "'}");
        assertThatThrownBy(() -> limited.replace(second.path("id").asText(), big, null))
                .isInstanceOfSatisfying(QuotaExceededException.class,
                        e -> assertThat(e.limit()).isEqualTo(QuotaExceededException.Limit.ITEM_BYTES));
        assertThatThrownBy(() -> limited.create(big)).isInstanceOf(QuotaExceededException.class);
        assertThat(limited.list(query(1, 10, "", Map.of())).total()).isEqualTo(2);
        limited.delete(second.path("id").asText(), null);
        assertThat(limited.create(json("{'n':4}")).path("n").asInt()).isEqualTo(4);
    }

    // ---- helpers ----

    /**
     * @param sort comma-separated fields, {@code -} for descending
     * @return the query
     */
    protected static Query query(int page, int size, String sort, Map<String, JsonNode> filters) {
        List<SortField> fields = new ArrayList<>();
        for (String s : sort.split(",")) {
            if (!s.isEmpty()) {
                fields.add(new SortField(s.replace("-", ""), s.startsWith("-")));
            }
        }
        return new Query(page, size, fields, new LinkedHashMap<>(filters));
    }

    /** Items with their id replaced by the creation index, so two repositories' pages compare. */
    private static List<JsonNode> byOrdinal(List<ObjectNode> items, Map<String, Integer> ordinalOf) {
        List<JsonNode> out = new ArrayList<>();
        for (ObjectNode item : items) {
            ObjectNode copy = item.deepCopy();
            copy.put("id", ordinalOf.getOrDefault(item.path("id").asText(), -1));
            try {
                out.add(JSON.readTree(copy.toString()));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        return out;
    }
}
