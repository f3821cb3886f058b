package dev.switchboard.crud.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.Audience;
import dev.switchboard.Emitter;
import dev.switchboard.Connection;
import dev.switchboard.ErrorCode;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.crud.ChangeEvent;
import dev.switchboard.crud.CollectionOptions;
import dev.switchboard.crud.CrudOperation;
import dev.switchboard.crud.Page;
import dev.switchboard.crud.Query;
import dev.switchboard.crud.Repository;
import dev.switchboard.crud.SortField;
import dev.switchboard.protocol.WireError;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves the protocol's CRUD requests ({@code GET LIST POST PUT PATCH DELETE}) for every collection
 * registered on a node, and publishes {@code ADDED / MODIFIED / DELETED} to {@code collection:<name>}
 * through the router, so changes reach subscribers on every node.
 */
public final class CrudService {
    private static final int PATCH_RETRIES = 5;

    private record Collection(String name, Repository repository, CollectionOptions options) { }

    private final Switchboard board;
    private final ObjectMapper mapper;
    private final JsonPatches patches;
    private final Map<String, Collection> collections = new ConcurrentHashMap<>();

    /** @param board the node whose request handlers this service registers */
    public CrudService(Switchboard board) {
        this.board = board;
        this.mapper = board.mapper();
        this.patches = new JsonPatches(mapper);
        for (CrudOperation op : CrudOperation.values()) {
            board.onRequest(op.name(), (conn, data) -> handle(conn, op, data));
        }
    }

    /**
     * Exposes a repository as a collection.
     *
     * @param name the collection name
     * @param repository its storage
     * @param options its options
     */
    public void register(String name, Repository repository, CollectionOptions options) {
        if (name.isBlank() || name.contains(":")) {
            throw new IllegalArgumentException("collection name must be non-blank without ':': " + name);
        }
        Collection c = new Collection(name, Objects.requireNonNull(repository), Objects.requireNonNull(options));
        if (collections.putIfAbsent(name, c) != null) {
            throw new IllegalStateException("collection already registered: " + name);
        }
        if (options.changeFeed() != null) {
            // Every node runs its own feed and hears every change: deliver to this node's subscribers only.
            options.changeFeed().start(change -> publish(change, true));
        }
    }

    /** @return true if the topic is a registered collection's and the connection may LIST it */
    public boolean canSubscribe(Connection connection, String topic) {
        if (!topic.startsWith("collection:")) {
            return false;
        }
        Collection c = collections.get(topic.substring("collection:".length()));
        return c != null && c.options.authorizer().permits(connection, CrudOperation.LIST, null);
    }

    /** Stops the collections' change feeds. */
    public void close() {
        for (Collection c : collections.values()) {
            if (c.options.changeFeed() != null) {
                c.options.changeFeed().close();
            }
        }
    }

    /** Publishes a change to the collection's topic on every node. */
    public void publish(ChangeEvent change) {
        publish(change, false);
    }

    private void publish(ChangeEvent change, boolean localOnly) {
        JsonNode data = change.type() == ChangeEvent.Type.DELETED
                ? mapper.createObjectNode().put("id", change.id()) : change.item();
        Emitter to = board.to(Audience.topic(ChangeEvent.topicOf(change.collection())));
        (localOnly ? to.local() : to).emit(change.type().name(), data);
    }

    private Object handle(Connection conn, CrudOperation op, JsonNode data) {
        if (data == null || !data.isObject()) {
            throw badRequest(op + " needs an object with \"collection\"");
        }
        String name = data.path("collection").asText("");
        Collection c = collections.get(name);
        if (c == null) {
            throw new SwitchboardException(ErrorCode.NOT_FOUND, "collection " + WireError.quote(name) + " does not exist");
        }
        String id = op == CrudOperation.LIST || op == CrudOperation.POST ? null : requireId(data);
        if (!c.options.authorizer().permits(conn, op, id)) {
            throw new SwitchboardException(ErrorCode.FORBIDDEN, op + " on " + name + " is not allowed");
        }
        try {
            return switch (op) {
                case GET -> c.repository.get(id).orElseThrow(() -> notFound(name, id));
                case LIST -> list(c, data);
                case POST -> create(c, data);
                case PUT -> replace(c, id, data);
                case PATCH -> patch(c, id, data);
                case DELETE -> delete(c, id, data);
            };
        } catch (SwitchboardException e) {
            throw qualify(name, e);
        }
    }

    private Page list(Collection c, JsonNode data) {
        int page = intField(data, "page", 1);
        int size = intField(data, "size", c.options.defaultPageSize());
        if (page < 1) {
            throw badRequest("page must be at least 1");
        }
        if (size < 1 || size > c.options.maxPageSize()) {
            throw badRequest("size must be between 1 and " + c.options.maxPageSize());
        }
        List<SortField> sort = new ArrayList<>();
        String sortSpec = data.path("sort").asText("");
        for (String part : sortSpec.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            boolean desc = p.startsWith("-");
            String field = desc || p.startsWith("+") ? p.substring(1) : p;
            if (!c.options.isQueryable(field) || field.isEmpty()) {
                throw badRequest("cannot sort on unknown field " + WireError.quote(field));
            }
            sort.add(new SortField(field, desc));
        }
        Map<String, JsonNode> filters = new LinkedHashMap<>();
        JsonNode f = data.get("filters");
        if (f != null && !f.isNull()) {
            if (!f.isObject()) {
                throw badRequest("filters must be an object of field: value");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = f.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!c.options.isQueryable(e.getKey())) {
                    throw badRequest("cannot filter on unknown field " + WireError.quote(e.getKey()));
                }
                filters.put(e.getKey(), e.getValue());
            }
        }
        return c.repository.list(new Query(page, size, sort, filters));
    }

    private ObjectNode create(Collection c, JsonNode data) {
        ObjectNode item = objectField(data, "item");
        item.remove("id");
        item.remove("version");
        c.options.validator().validate(CrudOperation.POST, item);
        ObjectNode created = c.repository.create(item);
        changed(c, ChangeEvent.Type.ADDED, created);
        return created;
    }

    private ObjectNode replace(Collection c, String id, JsonNode data) {
        ObjectNode item = objectField(data, "item");
        Long version = version(data);
        c.options.validator().validate(CrudOperation.PUT, item);
        ObjectNode stored = c.repository.replace(id, item, version);
        changed(c, ChangeEvent.Type.MODIFIED, stored);
        return stored;
    }

    private ObjectNode patch(Collection c, String id, JsonNode data) {
        JsonNode patch = data.get("patch");
        if (patch == null || !(patch.isArray() || patch.isObject())) {
            throw badRequest("patch must be an array (RFC 6902 JSON Patch) or an object (RFC 7396 merge patch)");
        }
        Long expected = version(data);
        for (int attempt = 1; ; attempt++) {
            ObjectNode current = c.repository.get(id).orElseThrow(() -> notFound(c.name, id));
            long currentVersion = current.path("version").asLong();
            if (expected != null && expected != currentVersion) {
                throw new SwitchboardException(ErrorCode.CONFLICT,
                        id + " is at version " + currentVersion + ", not " + expected);
            }
            ObjectNode patched = patches.apply(current, patch);
            patched.put("id", id);
            patched.put("version", currentVersion);
            c.options.validator().validate(CrudOperation.PATCH, patched);
            try {
                // Compare-and-set on the version read above: a concurrent write makes this a conflict.
                ObjectNode stored = c.repository.replace(id, patched, currentVersion);
                changed(c, ChangeEvent.Type.MODIFIED, stored);
                return stored;
            } catch (SwitchboardException e) {
                // Without a client version the client asked for "patch whatever is there": retry on races.
                if (e.code() != ErrorCode.CONFLICT || expected != null || attempt >= PATCH_RETRIES) {
                    throw e;
                }
            }
        }
    }

    private ObjectNode delete(Collection c, String id, JsonNode data) {
        ObjectNode removed = c.repository.delete(id, version(data)).orElseThrow(() -> notFound(c.name, id));
        changed(c, ChangeEvent.Type.DELETED, removed);
        ObjectNode out = mapper.createObjectNode();
        out.put("id", id);
        out.put("deleted", true);
        return out;
    }

    private void changed(Collection c, ChangeEvent.Type type, ObjectNode item) {
        // With a change feed, the feed reports this write (and every other) exactly once.
        if (c.options.changeFeed() == null) {
            publish(new ChangeEvent(type, c.name, item.path("id").asText(), item));
        }
    }

    private static String requireId(JsonNode data) {
        JsonNode id = data.get("id");
        if (id == null || id.isNull() || !(id.isTextual() || id.isIntegralNumber()) || id.asText().isEmpty()) {
            throw badRequest("\"id\" is required");
        }
        return id.asText();
    }

    private static Long version(JsonNode data) {
        JsonNode v = data.get("version");
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber()) {
            throw badRequest("\"version\" must be an integer");
        }
        return v.asLong();
    }

    private static int intField(JsonNode data, String field, int dflt) {
        JsonNode v = data.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw badRequest("\"" + field + "\" must be an integer");
        }
        return v.asInt();
    }

    private static ObjectNode objectField(JsonNode data, String field) {
        JsonNode v = data.get(field);
        if (v == null || !v.isObject()) {
            throw badRequest("\"" + field + "\" must be a JSON object");
        }
        return ((ObjectNode) v).deepCopy();
    }

    private static SwitchboardException qualify(String collection, SwitchboardException e) {
        if ((e.code() == ErrorCode.NOT_FOUND || e.code() == ErrorCode.CONFLICT)
                && e.getMessage() != null && !e.getMessage().startsWith(collection + "/")
                && !e.getMessage().startsWith("patch") && !e.getMessage().startsWith("collection")) {
            return new SwitchboardException(e.code(), collection + "/" + e.getMessage());
        }
        return e;
    }

    private static SwitchboardException notFound(String collection, String id) {
        return new SwitchboardException(ErrorCode.NOT_FOUND, collection + "/" + id + " does not exist");
    }

    private static SwitchboardException badRequest(String message) {
        return new SwitchboardException(ErrorCode.BAD_REQUEST, message);
    }
}
