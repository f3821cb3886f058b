package dev.switchboard.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.Audience;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Encodes {@link ClusterMessage}s as compact JSON: {@code {"v":1,"kind":"route","from":..,
 * "audience":{..},"frame":"<frame JSON>"}}. JSON keeps the messages readable in {@code redis-cli
 * monitor} or {@code LISTEN} sessions; the frame travels as a string so it is written byte-for-byte.
 */
final class ClusterCodec {
    private final ObjectMapper mapper;

    ClusterCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    byte[] encode(ClusterMessage message) {
        ObjectNode root = mapper.createObjectNode();
        root.put("v", ClusterMessage.VERSION);
        root.put("from", message.from());
        if (message instanceof ClusterMessage.Routed r) {
            root.put("kind", "route");
            root.set("audience", audienceToTree(r.audience()));
            root.put("frame", new String(r.frame(), StandardCharsets.UTF_8));
        }
        try {
            return mapper.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @return the message, or {@code null} for a version or kind this node does not understand
     * @throws IOException for bytes that are not a cluster message
     */
    ClusterMessage decode(byte[] bytes) throws IOException {
        JsonNode root = mapper.readTree(bytes);
        if (root == null || root.path("v").asInt() != ClusterMessage.VERSION) {
            return null;
        }
        String from = root.path("from").asText();
        if ("route".equals(root.path("kind").asText())) {
            Audience audience = audienceFromTree(root.path("audience"));
            return new ClusterMessage.Routed(from, audience,
                    root.path("frame").asText().getBytes(StandardCharsets.UTF_8));
        }
        return null;
    }

    private ObjectNode audienceToTree(Audience a) {
        ObjectNode n = mapper.createObjectNode();
        if (a.broadcast()) {
            n.put("everyone", true);
        }
        putAll(n, "connections", a.connections());
        putAll(n, "users", a.users());
        putAll(n, "topics", a.topics());
        putAll(n, "organisations", a.organisations());
        putAll(n, "roles", a.roles());
        putAll(n, "exceptConnections", a.exceptConnections());
        putAll(n, "exceptUsers", a.exceptUsers());
        return n;
    }

    private static void putAll(ObjectNode n, String field, java.util.Set<String> values) {
        if (!values.isEmpty()) {
            com.fasterxml.jackson.databind.node.ArrayNode arr = n.putArray(field);
            values.forEach(arr::add);
        }
    }

    private static Audience audienceFromTree(JsonNode n) {
        return new Audience(n.path("everyone").asBoolean(false), set(n, "connections"), set(n, "users"),
                set(n, "topics"), set(n, "organisations"), set(n, "roles"), set(n, "exceptConnections"),
                set(n, "exceptUsers"));
    }

    private static java.util.Set<String> set(JsonNode n, String field) {
        java.util.Set<String> out = new java.util.HashSet<>();
        n.path(field).forEach(v -> out.add(v.asText()));
        return out;
    }
}
