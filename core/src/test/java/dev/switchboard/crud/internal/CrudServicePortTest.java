package dev.switchboard.crud.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.ErrorCode;
import dev.switchboard.SwitchboardException;
import dev.switchboard.crud.CollectionOptions;
import dev.switchboard.crud.CrudOperation;
import dev.switchboard.crud.InMemoryRepository;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CRUD service on its own, with no node: it answers through {@link CrudService#handle} and sends its changes
 * to the publisher it was given, nothing else.
 */
class CrudServicePortTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private record Published(String topic, String event, JsonNode data, boolean thisNodeOnly) { }

    private final List<Published> published = new ArrayList<>();
    private final CrudService service = new CrudService(MAPPER,
            (topic, event, data, thisNodeOnly) -> published.add(new Published(topic, event, data, thisNodeOnly)));

    private ObjectNode json(String text) throws Exception {
        return (ObjectNode) MAPPER.readTree(text.replace('\'', '"'));
    }

    @Test
    void writesAreAnsweredAndPublishedToTheCollectionsTopic() throws Exception {
        service.register("tasks", InMemoryRepository.create(), CollectionOptions.builder().fields("title").build());

        // The default authorizer allows all and never reads the connection.
        ObjectNode created = (ObjectNode) service.handle(null, CrudOperation.POST, json("{'collection':'tasks','item':{'title':'a'}}"));
        String id = created.path("id").asText();
        service.handle(null, CrudOperation.DELETE, json("{'collection':'tasks','id':'" + id + "'}"));

        assertThat(published).extracting(Published::topic).containsOnly("collection:tasks");
        assertThat(published).extracting(Published::event).containsExactly("ADDED", "DELETED");
        assertThat(published.get(0).data().path("title").asText()).isEqualTo("a");
        assertThat(published.get(1).data()).isEqualTo(json("{'id':'" + id + "'}"));
        assertThat(published).noneMatch(Published::thisNodeOnly);
    }

    @Test
    void anUnknownCollectionIsNotFoundAndPublishesNothing() throws Exception {
        assertThatThrownBy(() -> service.handle(null, CrudOperation.GET, json("{'collection':'nope','id':'1'}")))
                .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(published).isEmpty();
    }

    @Test
    void onlyTheSixOperationNamesAreReserved() {
        for (CrudOperation op : CrudOperation.values()) {
            assertThat(CrudService.operationOf(op.name())).isEqualTo(op);
        }
        assertThat(CrudService.operationOf("get")).isNull();
        assertThat(CrudService.operationOf("tasks.GET")).isNull();
        assertThat(CrudService.operationOf("")).isNull();
    }
}
