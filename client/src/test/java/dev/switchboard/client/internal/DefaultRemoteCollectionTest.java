package dev.switchboard.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.ErrorCode;
import dev.switchboard.StreamPosition;
import dev.switchboard.SwitchboardException;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.CollectionChange;
import dev.switchboard.client.ListQuery;
import dev.switchboard.client.PageResult;
import dev.switchboard.client.RemoteCollection;
import dev.switchboard.client.SubscribeOptions;
import dev.switchboard.client.SubscribeResult;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.crud.ChangeEvent;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.assertj.core.api.ThrowableAssertAlternative;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The exact {@code data} of each CRUD request (docs/crud.md) and the handling of replies and change
 * events, against a scripted server: fake socket, manual clock, direct callback executor.
 */
class DefaultRemoteCollectionTest {
    /** The item type. */
    record Item(String id, String title, Long version) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final ManualScheduler scheduler = new ManualScheduler();
    private final FakeConnector connector = new FakeConnector();
    private FakeConnector.Attempt server;
    private RemoteCollection<Item> items;

    @BeforeEach
    void connect() {
        DefaultSwitchboardClient client = new DefaultSwitchboardClient(
                ClientOptions.builder(URI.create("ws://localhost:1/ws")).requestTimeout(Duration.ofSeconds(3)).build(),
                connector, scheduler, Runnable::run, () -> 0.5, () -> { });
        CompletableFuture<SwitchboardClient> connecting = client.start();
        server = connector.next().welcome("c-1");
        assertThat(connecting).isCompleted();
        items = client.collection("items", Item.class);
    }

    /** @return the last request frame, after checking its event */
    private JsonNode sent(String event) throws IOException {
        List<String> frames = server.socket.sent();
        JsonNode frame = json.readTree(frames.get(frames.size() - 1));
        assertThat(frame.get("type").asText()).isEqualTo("request");
        assertThat(frame.get("event").asText()).isEqualTo(event);
        return frame;
    }

    /** Asserts the last request's event and exact data, and answers it with {@code reply} as data. */
    private void exchange(String event, String data, String reply) throws IOException {
        JsonNode frame = sent(event);
        assertThat(frame.get("data")).isEqualTo(json.readTree(data));
        server.frame("{\"type\":\"reply\",\"id\":" + frame.get("id") + ",\"data\":" + reply + "}");
    }

    private void fail(String code, String message) throws IOException {
        List<String> frames = server.socket.sent();
        JsonNode frame = json.readTree(frames.get(frames.size() - 1));
        server.frame("{\"type\":\"reply\",\"id\":" + frame.get("id") + ",\"error\":{\"code\":\"" + code
                + "\",\"message\":\"" + message + "\"}}");
    }

    private static ThrowableAssertAlternative<?> assertFailed(CompletableFuture<?> f) {
        return assertThat(f).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class).havingCause();
    }

    @Test
    void getSendsCollectionAndId() throws IOException {
        CompletableFuture<Item> f = items.get("1");
        exchange("GET", "{\"collection\":\"items\",\"id\":\"1\"}", "{\"id\":\"1\",\"title\":\"x\",\"version\":3}");
        assertThat(f).isCompletedWithValue(new Item("1", "x", 3L));
    }

    @Test
    void listSendsOnlyTheComponentsThatAreSetWithTheSortJoined() throws IOException {
        CompletableFuture<PageResult<Item>> f = items.list(ListQuery.builder().page(2).size(1)
                .sort(List.of("-title", "id")).filter("title", "x").filter("version", 3).build());
        exchange("LIST", "{\"collection\":\"items\",\"page\":2,\"size\":1,\"sort\":\"-title,id\","
                + "\"filters\":{\"title\":\"x\",\"version\":3}}",
                "{\"items\":[{\"id\":\"4\",\"title\":\"x\",\"version\":3}],\"page\":2,\"size\":1,\"total\":3}");
        assertThat(f).isCompletedWithValue(new PageResult<>(List.of(new Item("4", "x", 3L)), 2, 1, 3));
        assertThat(f.join().hasNext()).isTrue();

        CompletableFuture<PageResult<Item>> all = items.list();
        exchange("LIST", "{\"collection\":\"items\"}", "{\"items\":[],\"page\":1,\"size\":20,\"total\":0}");
        assertThat(all).isCompletedWithValue(new PageResult<>(List.of(), 1, 20, 0));
    }

    @Test
    void createSendsTheItem() throws IOException {
        CompletableFuture<Item> f = items.create(new Item(null, "x", null));
        exchange("POST", "{\"collection\":\"items\",\"item\":{\"id\":null,\"title\":\"x\",\"version\":null}}",
                "{\"id\":\"1\",\"title\":\"x\",\"version\":1}");
        assertThat(f).isCompletedWithValue(new Item("1", "x", 1L));
    }

    @Test
    void replaceSendsTheVersionOnlyWhenGiven() throws IOException {
        items.replace("1", new Item("1", "y", 1L));
        exchange("PUT", "{\"collection\":\"items\",\"id\":\"1\",\"item\":{\"id\":\"1\",\"title\":\"y\",\"version\":1}}",
                "{\"id\":\"1\",\"title\":\"y\",\"version\":2}");

        CompletableFuture<Item> f = items.replace("1", new Item("1", "z", 2L), 2);
        exchange("PUT", "{\"collection\":\"items\",\"id\":\"1\",\"item\":{\"id\":\"1\",\"title\":\"z\",\"version\":2},"
                + "\"version\":2}", "{\"id\":\"1\",\"title\":\"z\",\"version\":3}");
        assertThat(f).isCompletedWithValue(new Item("1", "z", 3L));
    }

    @Test
    void patchSendsArraysAndObjectsAsTheyAre() throws IOException {
        items.patch("1", json.readTree("[{\"op\":\"remove\",\"path\":\"/title\"}]"));
        exchange("PATCH", "{\"collection\":\"items\",\"id\":\"1\",\"patch\":[{\"op\":\"remove\",\"path\":\"/title\"}]}",
                "{\"id\":\"1\",\"version\":2}");

        CompletableFuture<Item> f = items.patch("1", Map.of("title", "t"), 2);
        exchange("PATCH", "{\"collection\":\"items\",\"id\":\"1\",\"patch\":{\"title\":\"t\"},\"version\":2}",
                "{\"id\":\"1\",\"title\":\"t\",\"version\":3}");
        assertThat(f).isCompletedWithValue(new Item("1", "t", 3L));
    }

    @Test
    void aPatchThatIsNeitherArrayNorObjectIsRefusedBeforeSending() {
        int before = server.socket.sent().size();
        assertThatThrownBy(() -> items.patch("1", "title=x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RFC 6902").hasMessageContaining("STRING");
        assertThatThrownBy(() -> items.patch("1", 5, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> items.create(null)).isInstanceOf(NullPointerException.class);
        assertThat(server.socket.sent()).hasSize(before);
    }

    @Test
    void deleteCompletesOnlyOnDeletedTrue() throws IOException {
        CompletableFuture<Void> f = items.delete("1");
        exchange("DELETE", "{\"collection\":\"items\",\"id\":\"1\"}", "{\"id\":\"1\",\"deleted\":true}");
        assertThat(f).isCompleted().isNotCompletedExceptionally();

        CompletableFuture<Void> versioned = items.delete("2", 4);
        exchange("DELETE", "{\"collection\":\"items\",\"id\":\"2\",\"version\":4}", "{\"id\":\"2\"}");
        assertFailed(versioned).isInstanceOfSatisfying(SwitchboardException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST)).withMessageContaining("deleted");
    }

    @Test
    void errorRepliesKeepTheServersCode() throws IOException {
        CompletableFuture<Item> f = items.replace("1", new Item("1", "x", 1L), 1);
        fail("conflict", "items/1 is at version 2, not 1");
        assertFailed(f).isInstanceOfSatisfying(SwitchboardException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT)).withMessage("items/1 is at version 2, not 1");
    }

    @Test
    void aReplyThatIsNotAnItemIsABadRequest() throws IOException {
        CompletableFuture<Item> f = items.get("1");
        exchange("GET", "{\"collection\":\"items\",\"id\":\"1\"}", "[1,2]");
        assertFailed(f).isInstanceOfSatisfying(SwitchboardException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST)).withMessageContaining("reply to \"GET\"");
    }

    @Test
    void requestsUseTheViewsTimeout() {
        CompletableFuture<Item> quick = items.withTimeout(Duration.ofSeconds(1)).get("1");
        CompletableFuture<Item> normal = items.get("2");
        scheduler.advance(Duration.ofSeconds(1));
        assertFailed(quick).isInstanceOfSatisfying(SwitchboardException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT));
        assertThat(normal).isNotDone();
        scheduler.advance(Duration.ofSeconds(2));
        assertThat(normal).isCompletedExceptionally();
        assertThat(items.timeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void subscribeConvertsChangesAndSkipsWhatIsNotOne() throws IOException {
        List<CollectionChange<Item>> changes = new ArrayList<>();
        CompletableFuture<JsonNode> f = items.subscribe(changes::add);
        List<String> frames = server.socket.sent();
        JsonNode subscribe = json.readTree(frames.get(frames.size() - 1));
        assertThat(subscribe.get("type").asText()).isEqualTo("subscribe");
        assertThat(subscribe.get("topic").asText()).isEqualTo("collection:items");
        server.frame("{\"type\":\"reply\",\"id\":" + subscribe.get("id")
                + ",\"data\":{\"topic\":\"collection:items\",\"epoch\":null,\"offset\":0,\"recovered\":false}}");
        assertThat(f).isCompleted();

        String topic = "\"topic\":\"collection:items\"";
        server.frame("{\"type\":\"event\",\"event\":\"ADDED\"," + topic + ",\"data\":{\"id\":\"1\",\"title\":\"x\",\"version\":1}}");
        server.frame("{\"type\":\"event\",\"event\":\"NOTICE\"," + topic + ",\"data\":\"not a change\"}");
        server.frame("{\"type\":\"event\",\"event\":\"MODIFIED\"," + topic + ",\"data\":{\"id\":\"1\",\"title\":[],\"version\":2}}");
        server.frame("{\"type\":\"event\",\"event\":\"MODIFIED\"," + topic + ",\"data\":{\"title\":\"no id\"}}");
        server.frame("{\"type\":\"event\",\"event\":\"DELETED\"," + topic + ",\"data\":{\"id\":\"1\"}}");

        assertThat(changes).containsExactly(
                new CollectionChange<>(ChangeEvent.Type.ADDED, "items", "1", new Item("1", "x", 1L)),
                new CollectionChange<>(ChangeEvent.Type.DELETED, "items", "1", null));
    }

    @Test
    void subscribeWithSinceResumesTheCollectionsTopicAndTracksItsPosition() throws IOException {
        List<CollectionChange<Item>> changes = new ArrayList<>();
        CompletableFuture<SubscribeResult> f = items.subscribe(changes::add,
                SubscribeOptions.builder().since(new StreamPosition("e1", 4)).build());
        List<String> frames = server.socket.sent();
        JsonNode subscribe = json.readTree(frames.get(frames.size() - 1));
        assertThat(subscribe.get("topic").asText()).isEqualTo("collection:items");
        assertThat(subscribe.get("since")).isEqualTo(json.readTree("{\"offset\":4,\"epoch\":\"e1\"}"));
        server.frame("{\"type\":\"reply\",\"id\":" + subscribe.get("id")
                + ",\"data\":{\"topic\":\"collection:items\",\"epoch\":\"e1\",\"offset\":5,\"recovered\":true}}");
        server.frame("{\"type\":\"event\",\"event\":\"DELETED\",\"topic\":\"collection:items\",\"offset\":5,"
                + "\"data\":{\"id\":\"1\"}}");

        assertThat(f.join()).isEqualTo(new SubscribeResult("collection:items", new StreamPosition("e1", 5), true));
        assertThat(changes).containsExactly(new CollectionChange<>(ChangeEvent.Type.DELETED, "items", "1", null));
        assertThat(items.position()).contains(new StreamPosition("e1", 5));
    }

    @Test
    void namesNoCollectionCanHaveAndNonPositiveTimeoutsAreRefused() {
        SwitchboardClient client = new DefaultSwitchboardClient(ClientOptions.of(URI.create("ws://localhost:1/ws")),
                connector, scheduler, Runnable::run, () -> 0.5, () -> { });
        assertThatThrownBy(() -> client.collection(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.collection("collection:x", Item.class))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> items.withTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThat(client.collection("tasks").type()).isEqualTo(ObjectNode.class);
    }
}
