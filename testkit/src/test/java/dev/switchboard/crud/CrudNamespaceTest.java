package dev.switchboard.crud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Execution;
import dev.switchboard.Switchboard;
import dev.switchboard.testkit.InMemoryClient;
import dev.switchboard.testkit.InMemoryTransport;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * CRUD's request events are reserved: an application handler for one of them fails loudly, before or
 * after collections exist, and the application's own requests and CRUD answer side by side.
 */
class CrudNamespaceTest {
    private static final Duration WAIT = Duration.ofSeconds(2);
    private final Switchboard board = Switchboard.builder().build();

    @AfterEach
    void tearDown() {
        board.close();
    }

    @ParameterizedTest
    @EnumSource(CrudOperation.class)
    void anAppHandlerForAReservedEventIsRefusedBeforeAnyCollectionExists(CrudOperation op) {
        assertThatThrownBy(() -> board.onRequest(op.name(), (conn, data) -> "mine"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(op.name()).hasMessageContaining("reserved for CRUD");
        assertThatThrownBy(() -> board.onRequest(op.name(), String.class, (conn, data) -> "mine", Execution.INLINE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anAppHandlerForAReservedEventIsRefusedAfterACollectionExistsAndCrudStillAnswers() {
        InMemoryRepository repo = InMemoryRepository.create();
        board.crud("tasks", repo, CollectionOptions.builder().fields("title").build());

        assertThatThrownBy(() -> board.onRequest("GET", (conn, data) -> "shadow"))
                .isInstanceOf(IllegalArgumentException.class);

        InMemoryClient client = InMemoryTransport.attach(board).connect();
        client.nextFrame(WAIT); // welcome
        JsonNode created = reply(client, 1, "POST", "{\"collection\":\"tasks\",\"item\":{\"title\":\"a\"}}");
        assertThat(created.path("error").isMissingNode()).as("reply %s", created).isTrue();
        String id = created.path("data").path("id").asText();
        JsonNode got = reply(client, 2, "GET", "{\"collection\":\"tasks\",\"id\":\"" + id + "\"}");
        assertThat(got.path("data").path("title").asText()).isEqualTo("a");
    }

    @Test
    void theAppsOwnRequestsAndCrudDoNotShadowEachOther() {
        // Names differing from the reserved ones (case included) are the app's.
        board.onRequest("get", (conn, data) -> "app get");
        board.onRequest("tasks.GET", (conn, data) -> "app tasks.GET");
        board.crud("tasks", InMemoryRepository.create(), CollectionOptions.builder().fields("title").build());

        InMemoryClient client = InMemoryTransport.attach(board).connect();
        client.nextFrame(WAIT);
        assertThat(reply(client, 1, "get", "{}").path("data").asText()).isEqualTo("app get");
        assertThat(reply(client, 2, "tasks.GET", "{}").path("data").asText()).isEqualTo("app tasks.GET");
        JsonNode crud = reply(client, 3, "GET", "{\"collection\":\"tasks\",\"id\":\"nope\"}");
        assertThat(crud.path("error").path("code").asText()).isEqualTo("not_found");
    }

    @Test
    void withoutCollectionsAReservedEventIsUnknown() {
        InMemoryClient client = InMemoryTransport.attach(board).connect();
        client.nextFrame(WAIT);
        JsonNode r = reply(client, 1, "GET", "{\"collection\":\"tasks\",\"id\":\"1\"}");
        assertThat(r.path("error").path("code").asText()).isEqualTo("unknown_event");
    }

    private static JsonNode reply(InMemoryClient client, int id, String event, String data) {
        client.send("{\"type\":\"request\",\"id\":" + id + ",\"event\":\"" + event + "\",\"data\":" + data + "}");
        JsonNode reply = client.nextFrame(WAIT);
        assertThat(reply.path("type").asText()).isEqualTo("reply");
        assertThat(reply.path("id").asInt()).isEqualTo(id);
        return reply;
    }
}
