package dev.switchboard.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.ErrorCode;
import dev.switchboard.StreamPosition;
import dev.switchboard.SwitchboardException;
import dev.switchboard.client.ChangeListener;
import dev.switchboard.client.CollectionChange;
import dev.switchboard.client.ListQuery;
import dev.switchboard.client.PageResult;
import dev.switchboard.client.RemoteCollection;
import dev.switchboard.client.ServerEvent;
import dev.switchboard.client.SubscribeOptions;
import dev.switchboard.client.SubscribeResult;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.TopicListener;
import dev.switchboard.crud.ChangeEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RemoteCollection} on top of the client's public request and subscribe calls: it builds the
 * CRUD requests' {@code data}, converts replies and change events, and holds nothing else. Immutable.
 *
 * @param <T> the item type
 */
public final class DefaultRemoteCollection<T> implements RemoteCollection<T> {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultRemoteCollection.class);

    private final SwitchboardClient client;
    private final String name;
    private final Class<T> type;
    private final Duration timeout;

    /**
     * @param client the connection
     * @param name the collection's name: non-blank, without {@code ':'} (the server's rule)
     * @param type the item type
     * @param timeout the reply timeout of every call
     * @throws IllegalArgumentException when the name cannot be a collection's or the timeout is not positive
     */
    public DefaultRemoteCollection(SwitchboardClient client, String name, Class<T> type, Duration timeout) {
        this.client = Objects.requireNonNull(client, "client");
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (name.isBlank() || name.contains(":")) {
            throw new IllegalArgumentException("collection name must be non-blank without ':', got \"" + name + "\"");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String topic() {
        return ChangeEvent.topicOf(name);
    }

    @Override
    public Class<T> type() {
        return type;
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    @Override
    public RemoteCollection<T> withTimeout(Duration timeout) {
        return new DefaultRemoteCollection<>(client, name, type, timeout);
    }

    @Override
    public CompletableFuture<T> get(String id) {
        return call("GET", data(id)).thenApply(reply -> item("GET", reply));
    }

    @Override
    public CompletableFuture<PageResult<T>> list() {
        return list(ListQuery.defaults());
    }

    @Override
    public CompletableFuture<PageResult<T>> list(ListQuery query) {
        Objects.requireNonNull(query, "query");
        ObjectNode data = data();
        if (query.page() != null) {
            data.put("page", query.page());
        }
        if (query.size() != null) {
            data.put("size", query.size());
        }
        if (!query.sort().isEmpty()) {
            data.put("sort", query.sortSpec());
        }
        if (!query.filters().isEmpty()) {
            data.set("filters", tree(query.filters(), "filters"));
        }
        return call("LIST", data).thenApply(this::page);
    }

    @Override
    public CompletableFuture<T> create(T item) {
        ObjectNode data = data();
        data.set("item", object(item, "item"));
        return call("POST", data).thenApply(reply -> item("POST", reply));
    }

    @Override
    public CompletableFuture<T> replace(String id, T item) {
        return put(id, item, null);
    }

    @Override
    public CompletableFuture<T> replace(String id, T item, long version) {
        return put(id, item, version);
    }

    @Override
    public CompletableFuture<T> patch(String id, Object patch) {
        return doPatch(id, patch, null);
    }

    @Override
    public CompletableFuture<T> patch(String id, Object patch, long version) {
        return doPatch(id, patch, version);
    }

    @Override
    public CompletableFuture<Void> delete(String id) {
        return doDelete(id, null);
    }

    @Override
    public CompletableFuture<Void> delete(String id, long version) {
        return doDelete(id, version);
    }

    @Override
    public CompletableFuture<JsonNode> subscribe(ChangeListener<T> listener) {
        return client.subscribe(topic(), changes(listener));
    }

    @Override
    public CompletableFuture<SubscribeResult> subscribe(ChangeListener<T> listener, SubscribeOptions options) {
        return client.subscribe(topic(), changes(listener), options);
    }

    private TopicListener changes(ChangeListener<T> listener) {
        Objects.requireNonNull(listener, "listener");
        return event -> {
            CollectionChange<T> change = change(event);
            if (change != null) {
                listener.onChange(change);
            }
        };
    }

    @Override
    public Optional<StreamPosition> position() {
        return client.position(topic());
    }

    @Override
    public CompletableFuture<JsonNode> unsubscribe() {
        return client.unsubscribe(topic());
    }

    @Override
    public String toString() {
        return "RemoteCollection[" + name + " as " + type.getSimpleName() + "]";
    }

    // ---------------------------------------------------------------- requests

    private CompletableFuture<T> put(String id, T item, Long version) {
        ObjectNode data = data(id);
        data.set("item", object(item, "item"));
        versioned(data, version);
        return call("PUT", data).thenApply(reply -> item("PUT", reply));
    }

    private CompletableFuture<T> doPatch(String id, Object patch, Long version) {
        ObjectNode data = data(id);
        JsonNode tree = tree(Objects.requireNonNull(patch, "patch"), "patch");
        if (!tree.isArray() && !tree.isObject()) {
            throw new IllegalArgumentException("patch must be a JSON array (RFC 6902 JSON Patch) or object "
                    + "(RFC 7396 merge patch), got " + tree.getNodeType());
        }
        data.set("patch", tree);
        versioned(data, version);
        return call("PATCH", data).thenApply(reply -> item("PATCH", reply));
    }

    private CompletableFuture<Void> doDelete(String id, Long version) {
        ObjectNode data = data(id);
        versioned(data, version);
        return call("DELETE", data).thenApply(reply -> {
            if (!reply.path("deleted").asBoolean(false)) {
                throw unexpected("DELETE", "no \"deleted\":true in " + reply);
            }
            return null;
        });
    }

    private CompletableFuture<JsonNode> call(String event, ObjectNode data) {
        return client.request(event, data, timeout);
    }

    /** @return {@code {"collection"}}, the start of every request's data */
    private ObjectNode data() {
        ObjectNode data = mapper().createObjectNode();
        data.put("collection", name);
        return data;
    }

    /** @return {@code {"collection","id"}} */
    private ObjectNode data(String id) {
        return data().put("id", Objects.requireNonNull(id, "id"));
    }

    private static void versioned(ObjectNode data, Long version) {
        if (version != null) {
            data.put("version", version.longValue());
        }
    }

    // ---------------------------------------------------------------- conversions

    private ObjectMapper mapper() {
        return client.mapper();
    }

    private JsonNode tree(Object value, String what) {
        try {
            return value instanceof JsonNode node ? node : mapper().valueToTree(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " cannot be serialised: " + e.getMessage(), e);
        }
    }

    private ObjectNode object(Object item, String what) {
        JsonNode tree = tree(Objects.requireNonNull(item, what), what);
        if (!tree.isObject()) {
            throw new IllegalArgumentException(what + " must serialise to a JSON object, got " + tree.getNodeType());
        }
        return (ObjectNode) tree;
    }

    private T item(String event, JsonNode node) {
        if (node == null || !node.isObject()) {
            throw unexpected(event, "expected an item (a JSON object), got " + (node == null ? "nothing" : node.getNodeType()));
        }
        try {
            return Json.convert(mapper(), node, type);
        } catch (IllegalArgumentException e) {
            throw unexpected(event, e.getMessage());
        }
    }

    private PageResult<T> page(JsonNode reply) {
        JsonNode items = reply.get("items");
        if (items == null || !items.isArray()) {
            throw unexpected("LIST", "no \"items\" array in the reply");
        }
        List<T> converted = new ArrayList<>(items.size());
        for (JsonNode item : items) {
            converted.add(item("LIST", item));
        }
        return new PageResult<>(converted, reply.path("page").asInt(), reply.path("size").asInt(),
                reply.path("total").asLong());
    }

    /** @return the change, or null (logged) for events that are not a change or do not convert */
    private CollectionChange<T> change(ServerEvent event) {
        ChangeEvent.Type kind;
        try {
            kind = ChangeEvent.Type.valueOf(event.event());
        } catch (IllegalArgumentException e) {
            LOG.debug("event {} on {} is not a collection change; skipped", event.event(), event.topic());
            return null;
        }
        JsonNode id = event.data().get("id");
        if (id == null || id.isNull() || !id.isValueNode()) {
            LOG.warn("{} on {} has no id; skipped: {}", kind, event.topic(), event.data());
            return null;
        }
        T item = null;
        if (kind != ChangeEvent.Type.DELETED) {
            try {
                item = Json.convert(mapper(), event.data(), type);
            } catch (IllegalArgumentException e) {
                LOG.warn("cannot convert {} {}/{} to {}; skipped: {}", kind, name, id.asText(), type.getName(),
                        e.getMessage());
                return null;
            }
        }
        return new CollectionChange<>(kind, name, id.asText(), item);
    }

    private static SwitchboardException unexpected(String event, String detail) {
        return new SwitchboardException(ErrorCode.BAD_REQUEST, "reply to \"" + event + "\" does not fit: " + detail);
    }
}
