package dev.switchboard.emit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.switchboard.Audience;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * One message from another service: the body of {@code POST /api/emit}.
 *
 * <pre>{@code
 * {"id": "message-id", "type": "notifications.drawer", "payload": {"title": "New notification"},
 *  "broadcast": false, "users": ["alice"], "roles": ["admin"], "organizations": ["acme"],
 *  "topics": ["news"], "connections": []}
 * }</pre>
 *
 * <p>Its audience is the <em>union</em> of what it names: everyone when {@code broadcast}, else the
 * connections of the {@code users}, the members of the {@code topics}, the {@code connections}, and the
 * members of the {@code organizations} — only those with one of the {@code roles} when roles are named.
 * Roles apply within organisations: a message naming roles must name organisations too, so that a
 * message for "the admins of acme" never reaches the admins of every organisation.
 *
 * <p>Immutable; validated at construction, with {@link InvalidEmitException} naming the field.
 *
 * @param id the message id, unique per message: a second message with the same id within the node's
 *     de-duplication window is not delivered again (1–256 characters)
 * @param type the event name clients receive it as (1–256 characters)
 * @param payload the event data; JSON {@code null} when none, never Java {@code null}
 * @param broadcast true for every connection on every node
 * @param users user ids
 * @param roles role names, applying within {@code organizations}
 * @param organizations organisation ids
 * @param topics topic names
 * @param connections connection ids
 */
public record EmitMessage(String id, String type, JsonNode payload, boolean broadcast, Set<String> users,
                          Set<String> roles, Set<String> organizations, Set<String> topics,
                          Set<String> connections) {

    /** The longest id, type or name accepted, in characters. */
    public static final int MAX_NAME_LENGTH = 256;
    /** The most entries accepted in one audience list. */
    public static final int MAX_LIST_SIZE = 10_000;

    private static final List<String> LISTS = List.of("users", "roles", "organizations", "topics", "connections");

    /**
     * Validates and copies.
     *
     * @throws InvalidEmitException naming the field that is missing or wrong, or when no audience is named
     */
    public EmitMessage {
        id = name("id", id);
        type = name("type", type);
        payload = payload == null ? NullNode.getInstance() : payload;
        users = names("users", users);
        roles = names("roles", roles);
        organizations = names("organizations", organizations);
        topics = names("topics", topics);
        connections = names("connections", connections);
        if (!roles.isEmpty() && organizations.isEmpty()) {
            throw new InvalidEmitException("roles", "\"roles\" apply within organisations: name the "
                    + "\"organizations\" too");
        }
        if (!broadcast && users.isEmpty() && organizations.isEmpty() && topics.isEmpty() && connections.isEmpty()) {
            throw new InvalidEmitException(null, "the message names no audience: set \"broadcast\": true, "
                    + "or list \"users\", \"organizations\" (with \"roles\"), \"topics\" or \"connections\"");
        }
    }

    /** @return who the message is for, as a routing {@link Audience} */
    public Audience audience() {
        return new Audience(broadcast, connections, users, topics, organizations, roles, Set.of(), Set.of());
    }

    /**
     * Parses and validates a message body. Fields other than those of the record are ignored; a missing
     * {@code id} is generated (then the message cannot be de-duplicated).
     *
     * @param body the JSON body
     * @param mapper the mapper to parse it with
     * @return the message
     * @throws InvalidEmitException when the body is not JSON, or a field is missing or of the wrong type
     */
    public static EmitMessage fromJson(byte[] body, ObjectMapper mapper) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidEmitException(null, "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidEmitException(null, "the body is not valid JSON");
        }
        return fromJson(root);
    }

    /**
     * Validates a parsed message body; see {@link #fromJson(byte[], ObjectMapper)}.
     *
     * @param root the JSON body
     * @return the message
     * @throws InvalidEmitException when a field is missing or of the wrong type
     */
    public static EmitMessage fromJson(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new InvalidEmitException(null, "the body must be a JSON object");
        }
        JsonNode id = root.get("id");
        String idText;
        if (id == null || id.isNull()) {
            idText = UUID.randomUUID().toString();
        } else if (id.isTextual()) {
            idText = id.asText();
        } else {
            throw new InvalidEmitException("id", "\"id\" must be a string");
        }
        JsonNode type = root.get("type");
        if (type == null || type.isNull()) {
            throw new InvalidEmitException("type", "\"type\" is required: the event name clients receive");
        }
        if (!type.isTextual()) {
            throw new InvalidEmitException("type", "\"type\" must be a string");
        }
        JsonNode broadcast = root.get("broadcast");
        if (broadcast != null && !broadcast.isNull() && !broadcast.isBoolean()) {
            throw new InvalidEmitException("broadcast", "\"broadcast\" must be true or false");
        }
        List<Set<String>> lists = new ArrayList<>(LISTS.size());
        for (String field : LISTS) {
            lists.add(stringList(field, root.get(field)));
        }
        return new EmitMessage(idText, type.asText(), root.get("payload"),
                broadcast != null && broadcast.asBoolean(), lists.get(0), lists.get(1), lists.get(2), lists.get(3),
                lists.get(4));
    }

    /**
     * @param type the event name
     * @return a builder for a message of that type, with a random id and no audience yet
     */
    public static Builder builder(String type) {
        return new Builder(type);
    }

    private static Set<String> stringList(String field, JsonNode node) {
        if (node == null || node.isNull()) {
            return Set.of();
        }
        if (!node.isArray()) {
            throw new InvalidEmitException(field, "\"" + field + "\" must be an array of strings");
        }
        if (node.size() > MAX_LIST_SIZE) {
            throw new InvalidEmitException(field, "\"" + field + "\" has more than " + MAX_LIST_SIZE + " entries");
        }
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode n : node) {
            if (!n.isTextual()) {
                throw new InvalidEmitException(field, "\"" + field + "\" must be an array of strings");
            }
            out.add(n.asText());
        }
        return out;
    }

    private static String name(String field, String value) {
        if (value == null) {
            throw new InvalidEmitException(field, "\"" + field + "\" is required");
        }
        if (value.isBlank() || value.length() > MAX_NAME_LENGTH) {
            throw new InvalidEmitException(field, "\"" + field + "\" must be 1 to " + MAX_NAME_LENGTH
                    + " characters, not blank");
        }
        return value;
    }

    private static Set<String> names(String field, Collection<String> values) {
        if (values == null || values.isEmpty()) {
            return Set.of();
        }
        if (values.size() > MAX_LIST_SIZE) {
            throw new InvalidEmitException(field, "\"" + field + "\" has more than " + MAX_LIST_SIZE + " entries");
        }
        for (String v : values) {
            if (v == null || v.isBlank() || v.length() > MAX_NAME_LENGTH) {
                throw new InvalidEmitException(field, "every entry of \"" + field + "\" must be 1 to "
                        + MAX_NAME_LENGTH + " characters, not blank");
            }
        }
        return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(values));
    }

    /** Builds an {@link EmitMessage}; validated by {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private final String type;
        private String id = UUID.randomUUID().toString();
        private JsonNode payload;
        private boolean broadcast;
        private final Set<String> users = new LinkedHashSet<>();
        private final Set<String> roles = new LinkedHashSet<>();
        private final Set<String> organizations = new LinkedHashSet<>();
        private final Set<String> topics = new LinkedHashSet<>();
        private final Set<String> connections = new LinkedHashSet<>();

        private Builder(String type) {
            this.type = type;
        }

        /** @param v the message id (default: a random UUID) @return this */
        public Builder id(String v) {
            id = v;
            return this;
        }

        /** @param v the event data (default: JSON null) @return this */
        public Builder payload(JsonNode v) {
            payload = v;
            return this;
        }

        /** @param v true for everyone (default false) @return this */
        public Builder broadcast(boolean v) {
            broadcast = v;
            return this;
        }

        /** @param v more user ids @return this */
        public Builder users(String... v) {
            users.addAll(List.of(v));
            return this;
        }

        /** @param v more role names (within the organisations) @return this */
        public Builder roles(String... v) {
            roles.addAll(List.of(v));
            return this;
        }

        /** @param v more organisation ids @return this */
        public Builder organizations(String... v) {
            organizations.addAll(List.of(v));
            return this;
        }

        /** @param v more topics @return this */
        public Builder topics(String... v) {
            topics.addAll(List.of(v));
            return this;
        }

        /** @param v more connection ids @return this */
        public Builder connections(String... v) {
            connections.addAll(List.of(v));
            return this;
        }

        /**
         * @return the message
         * @throws InvalidEmitException as the record's constructor
         */
        public EmitMessage build() {
            return new EmitMessage(Objects.requireNonNullElse(id, ""), type, payload, broadcast, users, roles,
                    organizations, topics, connections);
        }
    }
}
