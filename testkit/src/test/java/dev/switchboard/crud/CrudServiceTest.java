package dev.switchboard.crud;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Switchboard;
import dev.switchboard.testkit.InMemoryClient;
import dev.switchboard.testkit.InMemoryTransport;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CRUD protocol over the in-memory transport: shapes, events, and every bad-input path. */
class CrudServiceTest {
    private static final Duration WAIT = Duration.ofSeconds(2);
    private final AtomicInteger ids = new AtomicInteger(100);
    private Switchboard board;
    private InMemoryClient client;
    private InMemoryClient watcher;
    private InMemoryRepository repo;

    @BeforeEach
    void setUp() {
        board = Switchboard.builder().build();
        repo = InMemoryRepository.create();
        board.crud("tasks", repo, CollectionOptions.builder()
                .fields("title", "status", "rank")
                .maxPageSize(50)
                .validator((op, item) -> {
                    if (item.has("title") && item.get("title").asText().isBlank()) {
                        throw new ValidationException("title", "must not be blank");
                    }
                })
                .authorizer((conn, req) -> !"locked".equals(req.id()) && !(req.operation() == CrudOperation.DELETE && "3".equals(req.id())))
                .build());
        InMemoryTransport transport = InMemoryTransport.attach(board);
        client = transport.connect();
        watcher = transport.connect();
        client.nextFrame(WAIT);
        watcher.nextFrame(WAIT);
        JsonNode sub = call(watcher, "subscribe", null, "\"topic\":\"collection:tasks\"");
        assertThat(sub.get("data").get("topic").asText()).isEqualTo("collection:tasks");
    }

    @AfterEach
    void tearDown() {
        board.close();
    }

    /** Sends a request (or subscribe) and returns its reply frame. */
    private JsonNode call(InMemoryClient c, String type, String event, String fields) {
        int id = ids.incrementAndGet();
        String frame = "{\"type\":\"" + type + "\",\"id\":" + id
                + (event == null ? "" : ",\"event\":\"" + event + "\"") + "," + fields + "}";
        c.send(frame);
        JsonNode reply = c.nextFrame(WAIT);
        assertThat(reply.get("type").asText()).isEqualTo("reply");
        assertThat(reply.get("id").asInt()).isEqualTo(id);
        return reply;
    }

    private JsonNode request(String event, String data) {
        return call(client, "request", event, "\"data\":" + data);
    }

    private JsonNode ok(String event, String data) {
        JsonNode r = request(event, data);
        assertThat(r.get("error")).as("error in %s", r).isNull();
        return r.get("data");
    }

    private void assertError(String event, String data, String code, String messagePart) {
        JsonNode r = request(event, data);
        assertThat(r.path("error").path("code").asText()).as("reply %s", r).isEqualTo(code);
        assertThat(r.path("error").path("message").asText()).contains(messagePart);
    }

    private JsonNode change(String expectedEvent) {
        JsonNode ev = watcher.nextFrame(WAIT);
        assertThat(ev.get("type").asText()).isEqualTo("event");
        assertThat(ev.get("topic").asText()).isEqualTo("collection:tasks");
        assertThat(ev.get("event").asText()).isEqualTo(expectedEvent);
        return ev.get("data");
    }

    @Test
    void createGetReplacePatchDeleteWithLiveEvents() {
        JsonNode created = ok("POST", "{\"collection\":\"tasks\",\"item\":{\"title\":\"Write docs\",\"status\":\"todo\",\"id\":\"x\"}}");
        assertThat(created.get("id").asText()).isEqualTo("1");
        assertThat(created.get("version").asLong()).isEqualTo(1);
        assertThat(change("ADDED")).isEqualTo(created);

        assertThat(ok("GET", "{\"collection\":\"tasks\",\"id\":\"1\"}")).isEqualTo(created);

        JsonNode replaced = ok("PUT", "{\"collection\":\"tasks\",\"id\":\"1\",\"version\":1,\"item\":{\"title\":\"Docs\",\"status\":\"todo\"}}");
        assertThat(replaced.get("version").asLong()).isEqualTo(2);
        assertThat(change("MODIFIED").get("title").asText()).isEqualTo("Docs");

        JsonNode merged = ok("PATCH", "{\"collection\":\"tasks\",\"id\":\"1\",\"patch\":{\"status\":\"done\"},\"version\":2}");
        assertThat(merged.get("status").asText()).isEqualTo("done");
        assertThat(merged.get("title").asText()).isEqualTo("Docs");
        assertThat(merged.get("version").asLong()).isEqualTo(3);
        change("MODIFIED");

        JsonNode patched = ok("PATCH", "{\"collection\":\"tasks\",\"id\":1,\"patch\":[{\"op\":\"replace\",\"path\":\"/title\",\"value\":\"Final\"},{\"op\":\"add\",\"path\":\"/tags\",\"value\":[\"a\"]}]}");
        assertThat(patched.get("title").asText()).isEqualTo("Final");
        assertThat(patched.get("tags").get(0).asText()).isEqualTo("a");
        assertThat(patched.get("version").asLong()).isEqualTo(4);
        change("MODIFIED");

        JsonNode merge2 = ok("PATCH", "{\"collection\":\"tasks\",\"id\":\"1\",\"patch\":{\"tags\":null}}");
        assertThat(merge2.has("tags")).isFalse(); // RFC 7396: null removes
        change("MODIFIED");

        JsonNode deleted = ok("DELETE", "{\"collection\":\"tasks\",\"id\":\"1\"}");
        assertThat(deleted.get("id").asText()).isEqualTo("1");
        assertThat(deleted.get("deleted").asBoolean()).isTrue();
        JsonNode gone = change("DELETED");
        assertThat(gone.get("id").asText()).isEqualTo("1");
        assertThat(gone.size()).isEqualTo(1);
        assertError("GET", "{\"collection\":\"tasks\",\"id\":\"1\"}", "not_found", "tasks/1 does not exist");
        assertError("DELETE", "{\"collection\":\"tasks\",\"id\":\"1\"}", "not_found", "tasks/1 does not exist");
    }

    @Test
    void listPagesSortsAndFilters() {
        String[][] rows = {{"b", "todo", "2"}, {"a", "done", "1"}, {"c", "todo", "3"}, {"d", "todo", "10"}};
        for (String[] r : rows) {
            ok("POST", "{\"collection\":\"tasks\",\"item\":{\"title\":\"" + r[0] + "\",\"status\":\"" + r[1] + "\",\"rank\":" + r[2] + "}}");
        }
        JsonNode page = ok("LIST", "{\"collection\":\"tasks\",\"page\":1,\"size\":2,\"sort\":\"-title\",\"filters\":{\"status\":\"todo\"}}");
        assertThat(page.get("total").asLong()).isEqualTo(3);
        assertThat(page.get("page").asInt()).isEqualTo(1);
        assertThat(page.get("size").asInt()).isEqualTo(2);
        assertThat(page.get("items").size()).isEqualTo(2);
        assertThat(page.get("items").get(0).get("title").asText()).isEqualTo("d");
        assertThat(page.get("items").get(1).get("title").asText()).isEqualTo("c");
        JsonNode page2 = ok("LIST", "{\"collection\":\"tasks\",\"page\":2,\"size\":2,\"sort\":\"-title\",\"filters\":{\"status\":\"todo\"}}");
        assertThat(page2.get("items").size()).isEqualTo(1);
        assertThat(page2.get("items").get(0).get("title").asText()).isEqualTo("b");
        JsonNode byRank = ok("LIST", "{\"collection\":\"tasks\",\"sort\":\"rank\"}");
        assertThat(byRank.get("items").findValuesAsText("title")).containsExactly("a", "b", "c", "d");
        assertThat(byRank.get("size").asInt()).isEqualTo(20);
    }

    @Test
    void badInputGetsTypedErrorsAndChangesNothing() {
        ok("POST", "{\"collection\":\"tasks\",\"item\":{\"title\":\"keep\",\"status\":\"todo\"}}");
        change("ADDED");
        assertError("GET", "{\"collection\":\"nope\",\"id\":\"1\"}", "not_found", "collection \"nope\" does not exist");
        assertError("GET", "{\"collection\":\"tasks\"}", "bad_request", "\"id\" is required");
        assertError("LIST", "{\"collection\":\"tasks\",\"size\":51}", "bad_request", "size must be between 1 and 50");
        assertError("LIST", "{\"collection\":\"tasks\",\"sort\":\"secret\"}", "bad_request", "unknown field \"secret\"");
        assertError("LIST", "{\"collection\":\"tasks\",\"filters\":{\"owner\":\"x\"}}", "bad_request", "unknown field \"owner\"");
        assertError("PATCH", "{\"collection\":\"tasks\",\"id\":\"1\",\"patch\":[{\"op\":\"replace\",\"path\":\"/title\",\"value\":\"x\"},{\"op\":\"remove\",\"path\":\"/missing\"}]}",
                "bad_request", "patch operation 1 (remove");
        assertError("PATCH", "{\"collection\":\"tasks\",\"id\":\"1\",\"patch\":[{\"op\":\"jump\",\"path\":\"/title\"}]}",
                "bad_request", "patch operation 0");
        assertError("PATCH", "{\"collection\":\"tasks\",\"id\":\"1\",\"patch\":[{\"op\":\"test\",\"path\":\"/title\",\"value\":\"other\"}]}",
                "conflict", "patch operation 0 (test");
        assertError("PATCH", "{\"collection\":\"tasks\",\"id\":\"1\",\"patch\":\"nonsense\"}", "bad_request", "patch must be");
        assertError("PUT", "{\"collection\":\"tasks\",\"id\":\"1\",\"version\":7,\"item\":{\"title\":\"x\"}}", "conflict", "version");
        assertError("PATCH", "{\"collection\":\"tasks\",\"id\":\"1\",\"version\":7,\"patch\":{\"title\":\"x\"}}", "conflict", "version");
        assertError("POST", "{\"collection\":\"tasks\",\"item\":{\"title\":\" \"}}", "bad_request", "title: must not be blank");
        assertError("PATCH", "{\"collection\":\"tasks\",\"id\":\"1\",\"patch\":{\"title\":\"\"}}", "bad_request", "title");
        assertError("POST", "{\"collection\":\"tasks\",\"item\":[1]}", "bad_request", "\"item\" must be a JSON object");
        assertError("GET", "{\"collection\":\"tasks\",\"id\":\"locked\"}", "forbidden", "not allowed");
        ok("POST", "{\"collection\":\"tasks\",\"item\":{\"title\":\"two\"}}");
        change("ADDED");
        ok("POST", "{\"collection\":\"tasks\",\"item\":{\"title\":\"three\"}}");
        change("ADDED");
        assertError("DELETE", "{\"collection\":\"tasks\",\"id\":\"3\"}", "forbidden", "not allowed");

        JsonNode item = ok("GET", "{\"collection\":\"tasks\",\"id\":\"1\"}");
        assertThat(item.get("title").asText()).isEqualTo("keep");
        assertThat(item.get("version").asLong()).isEqualTo(1);
        assertThat(repo.size()).isEqualTo(3);
        assertThat(watcher.pollFrame()).as("no event for refused writes").isNull();
    }

    @Test
    void onlyRegisteredCollectionTopicsAreOpenToSubscribers() {
        JsonNode r = call(client, "subscribe", null, "\"topic\":\"collection:unknown\"");
        assertThat(r.get("error").get("code").asText()).isEqualTo("forbidden");
    }
}
