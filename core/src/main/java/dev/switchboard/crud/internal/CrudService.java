package dev.switchboard.crud.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.Connection;
import dev.switchboard.ErrorCode;
import dev.switchboard.SwitchboardException;
import dev.switchboard.crud.ChangeEvent;
import dev.switchboard.crud.CollectionOptions;
import dev.switchboard.crud.CrudOperation;
import dev.switchboard.crud.CrudRequest;
import dev.switchboard.crud.Quota;
import dev.switchboard.crud.QuotaExceededException;
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
 * through a {@link ChangePublisher}, so changes reach subscribers on every node.
 *
 * <p>It registers nothing on the node: the node routes the reserved request events to {@link #handle}
 * itself, in a namespace of their own, and refuses an application handler for one of them.
 */
public final class CrudService {
    private static final int WRITE_RETRIES = 5;
    private static final int MAX_ID_CHARS = 256;

    private record Collection(String name, Repository repository, CollectionOptions options) { }

    /** Where the service sends the changes it makes; the node's router. */
    @FunctionalInterface
    public interface ChangePublisher {
        /**
         * Routes an event to a topic's subscribers.
         *
         * @param topic the collection's topic
         * @param event {@code ADDED}, {@code MODIFIED} or {@code DELETED}
         * @param data the item, or {@code {"id"}} for a deletion
         * @param thisNodeOnly true to deliver to this node's subscribers only
         */
        void publish(String topic, String event, JsonNode data, boolean thisNodeOnly);
    }

    private final ObjectMapper mapper;
    private final ChangePublisher publisher;
    private final JsonPatches patches;
    private final Map<String, Collection> collections = new ConcurrentHashMap<>();

    /**
     * @param mapper the node's mapper, for the replies it builds
     * @param publisher where changes go
     */
    public CrudService(ObjectMapper mapper, ChangePublisher publisher) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.patches = new JsonPatches(mapper);
    }

    /**
     * @param event a request's event
     * @return the CRUD operation whose reserved event it is, or null for any other event
     */
    public static CrudOperation operationOf(String event) {
        for (CrudOperation op : CrudOperation.values()) {
            if (op.name().equals(event)) {
                return op;
            }
        }
        return null;
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
        return c != null && c.options.authorizer().permits(connection,
                new CrudRequest(c.name, CrudOperation.LIST, null, null, null));
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
        publisher.publish(ChangeEvent.topicOf(change.collection()), change.type().name(), data, localOnly);
    }

    /**
     * Serves one CRUD request; blocks on the repository, so it runs on a handler thread.
     *
     * @param conn the connection that asked
     * @param op the operation its event names
     * @param data the request's data
     * @return the reply's data
     * @throws SwitchboardException with the wire error to answer
     */
    public Object handle(Connection conn, CrudOperation op, JsonNode data) {
        if (data == null || !data.isObject()) {
            throw badRequest(op + " needs an object with \"collection\"");
        }
        String name = data.path("collection").asText("");
        Collection c = collections.get(name);
        if (c == null) {
            throw new SwitchboardException(ErrorCode.NOT_FOUND, "collection " + WireError.quote(name) + " does not exist");
        }
        try {
            return switch (op) {
                case GET -> {
                    String id = requireId(data);
                    ObjectNode current = c.repository.get(id).orElse(null);
                    authorize(conn, c, op, id, current, null);
                    if (current == null) {
                        throw notFound(name, id);
                    }
                    yield current;
                }
                case LIST -> {
                    authorize(conn, c, op, null, null, null);
                    yield list(c, data);
                }
                case POST -> create(conn, c, data);
                case PUT -> replace(conn, c, requireId(data), data);
                case PATCH -> patch(conn, c, requireId(data), data);
                case DELETE -> delete(conn, c, requireId(data), data);
            };
        } catch (SwitchboardException e) {
            throw qualify(name, e);
        }
    }

    private static void authorize(Connection conn, Collection c, CrudOperation op, String id, ObjectNode current,
                                  ObjectNode proposed) {
        CrudRequest request = new CrudRequest(c.name, op, id, current == null ? null : current.deepCopy(),
                proposed == null ? null : proposed.deepCopy());
        if (!c.options.authorizer().permits(conn, request)) {
            throw new SwitchboardException(ErrorCode.FORBIDDEN, op + " on " + c.name + " is not allowed");
        }
    }

    /** The collection's own size limit, on the item without id and version, before any storage. */
    private static void checkSize(Collection c, ObjectNode item) {
        ObjectNode fields = item.deepCopy();
        fields.remove("id");
        fields.remove("version");
        long size = Quota.sizeOf(fields);
        if (size > c.options.maxItemBytes()) {
            throw new QuotaExceededException(QuotaExceededException.Limit.ITEM_BYTES, c.options.maxItemBytes(),
                    "the item would be " + size + " bytes, more than the limit of " + c.options.maxItemBytes());
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

    private ObjectNode create(Connection conn, Collection c, JsonNode data) {
        ObjectNode item = objectField(data, "item");
        item.remove("id");
        item.remove("version");
        authorize(conn, c, CrudOperation.POST, null, null, item);
        c.options.validator().validate(CrudOperation.POST, item);
        checkSize(c, item);
        ObjectNode created = c.repository.create(item);
        changed(c, ChangeEvent.Type.ADDED, created);
        return created;
    }

    private ObjectNode replace(Connection conn, Collection c, String id, JsonNode data) {
        ObjectNode item = objectField(data, "item");
        item.remove("id");
        item.remove("version");
        return write(conn, c, CrudOperation.PUT, id, version(data), current -> item, stored -> {
            changed(c, ChangeEvent.Type.MODIFIED, stored);
            return stored;
        });
    }

    private ObjectNode patch(Connection conn, Collection c, String id, JsonNode data) {
        JsonNode patch = data.get("patch");
        if (patch == null || !(patch.isArray() || patch.isObject())) {
            throw badRequest("patch must be an array (RFC 6902 JSON Patch) or an object (RFC 7396 merge patch)");
        }
        return write(conn, c, CrudOperation.PATCH, id, version(data), current -> {
            ObjectNode patched = patches.apply(current, patch, c.options.maxPatchOperations(),
                    c.options.maxItemBytes() + 128);
            patched.remove("id");
            patched.remove("version");
            return patched;
        }, stored -> {
            changed(c, ChangeEvent.Type.MODIFIED, stored);
            return stored;
        });
    }

    private ObjectNode delete(Connection conn, Collection c, String id, JsonNode data) {
        return write(conn, c, CrudOperation.DELETE, id, version(data), current -> null, removed -> {
            changed(c, ChangeEvent.Type.DELETED, removed);
            ObjectNode out = mapper.createObjectNode();
            out.put("id", id);
            out.put("deleted", true);
            return out;
        });
    }

    /**
     * Reads the current item, builds the proposed one, asks the authorizer, validates, and writes with a
     * compare-and-set on the version that was read, so the decision holds for the item it was made on. A
     * write in between is a {@code conflict} when the client named a version, and otherwise a retry.
     */
    private ObjectNode write(Connection conn, Collection c, CrudOperation op, String id, Long expected,
                             java.util.function.UnaryOperator<ObjectNode> propose,
                             java.util.function.UnaryOperator<ObjectNode> done) {
        for (int attempt = 1; ; attempt++) {
            ObjectNode current = c.repository.get(id).orElse(null);
            ObjectNode proposed = op == CrudOperation.DELETE || (current == null && op == CrudOperation.PATCH)
                    ? null : propose.apply(current);
            authorize(conn, c, op, id, current, proposed);
            if (current == null) {
                throw notFound(c.name, id);
            }
            long currentVersion = current.path("version").asLong();
            if (expected != null && expected != currentVersion) {
                throw new SwitchboardException(ErrorCode.CONFLICT,
                        id + " is at version " + currentVersion + ", not " + expected);
            }
            try {
                if (op == CrudOperation.DELETE) {
                    ObjectNode removed = c.repository.delete(id, currentVersion).orElseThrow(() -> notFound(c.name, id));
                    return done.apply(removed);
                }
                c.options.validator().validate(op, proposed);
                checkSize(c, proposed);
                return done.apply(c.repository.replace(id, proposed, currentVersion));
            } catch (SwitchboardException e) {
                // Without a client version the client asked for "whatever is there": retry on races.
                if (e.code() != ErrorCode.CONFLICT || expected != null || attempt >= WRITE_RETRIES) {
                    throw e;
                }
            }
        }
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
        if (id.asText().length() > MAX_ID_CHARS) {
            throw badRequest("\"id\" is longer than " + MAX_ID_CHARS + " characters");
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
