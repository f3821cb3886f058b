package dev.switchboard.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.Audience;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * Encodes {@link ClusterMessage}s as compact JSON, the envelope documented in
 * {@code docs/backplanes.md}: {@code {"v":1,"kind":"route","from":..,"audience":{..},"frame":"<frame
 * JSON>"}}. JSON keeps the messages readable in {@code redis-cli monitor} or {@code LISTEN} sessions;
 * the frame travels as a string so that receiving nodes write it byte-for-byte, never re-encoding it.
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
            if (r.echo()) {
                root.put("echo", true);
            }
            if (r.durable() != null) {
                root.put("topic", r.durable().topic());
                root.put("epoch", r.durable().epoch());
                root.put("offset", r.durable().offset());
            }
            if (r.trace() != null) {
                root.put("traceparent", r.trace().traceparent());
                if (r.trace().tracestate() != null) {
                    root.put("tracestate", r.trace().tracestate());
                }
            }
            root.put("frame", new String(r.frame(), StandardCharsets.UTF_8));
        } else if (message instanceof ClusterMessage.Heartbeat h) {
            root.put("kind", "heartbeat");
            root.put("connections", h.connections());
            if (h.leaving()) {
                root.put("leaving", true);
            }
        } else if (message instanceof ClusterMessage.Query q) {
            root.put("kind", "query");
            root.put("id", q.id());
            root.put("query", q.kind());
            root.put("arg", q.argument());
        } else if (message instanceof ClusterMessage.QueryReply r) {
            root.put("kind", "reply");
            root.put("id", r.id());
            root.set("result", r.result());
        }
        try {
            return mapper.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @return the message
     * @throws UnsupportedVersionException for a version or kind this node does not speak
     * @throws IOException for bytes that are not a cluster message
     */
    ClusterMessage decode(byte[] bytes) throws IOException {
        JsonNode root = mapper.readTree(bytes);
        if (root == null || !root.isObject() || !root.path("v").isInt() || !root.path("from").isTextual()) {
            throw new IOException("not a cluster message (no \"v\" and \"from\")");
        }
        int v = root.path("v").asInt();
        String kind = root.path("kind").asText();
        if (v != ClusterMessage.VERSION) {
            throw new UnsupportedVersionException("cluster protocol version " + v + " (this node speaks "
                    + ClusterMessage.VERSION + ")");
        }
        String from = root.path("from").asText();
        switch (kind) {
            case "route" -> {
                JsonNode frame = root.path("frame");
                if (!frame.isTextual() || !root.path("audience").isObject()) {
                    throw new IOException("route message without \"frame\" or \"audience\"");
                }
                byte[] frameBytes = frame.asText().getBytes(StandardCharsets.UTF_8);
                if (!EventFrames.valid(frameBytes)) {
                    throw new IOException("route message whose frame is not one JSON event frame");
                }
                ClusterMessage.Durable durable = null;
                if (root.path("topic").isTextual() && root.path("epoch").isTextual() && root.path("offset").canConvertToLong()) {
                    durable = new ClusterMessage.Durable(root.path("topic").asText(), root.path("epoch").asText(),
                            root.path("offset").asLong());
                }
                dev.switchboard.TraceContext trace = dev.switchboard.TraceContext.parse(
                        root.path("traceparent").textValue(), root.path("tracestate").textValue()).orElse(null);
                return new ClusterMessage.Routed(from, audienceFromTree(root.path("audience")),
                        frameBytes, root.path("echo").asBoolean(false), durable,
                        trace);
            }
            case "heartbeat" -> {
                return new ClusterMessage.Heartbeat(from, root.path("connections").asLong(),
                        root.path("leaving").asBoolean(false));
            }
            case "query" -> {
                return new ClusterMessage.Query(from, root.path("id").asText(), root.path("query").asText(),
                        root.path("arg").isNull() ? null : root.path("arg").asText(null));
            }
            case "reply" -> {
                return new ClusterMessage.QueryReply(from, root.path("id").asText(), root.path("result"));
            }
            default -> throw new UnsupportedVersionException("cluster message kind \"" + kind + "\"");
        }
    }

    /** A message of a version or kind this node does not speak (a newer node, probably). */
    static final class UnsupportedVersionException extends IOException {
        UnsupportedVersionException(String message) {
            super(message);
        }
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

    private static void putAll(ObjectNode n, String field, Set<String> values) {
        if (!values.isEmpty()) {
            ArrayNode arr = n.putArray(field);
            values.forEach(arr::add);
        }
    }

    private static Audience audienceFromTree(JsonNode n) {
        return new Audience(n.path("everyone").asBoolean(false), set(n, "connections"), set(n, "users"),
                set(n, "topics"), set(n, "organisations"), set(n, "roles"), set(n, "exceptConnections"),
                set(n, "exceptUsers"));
    }

    private static Set<String> set(JsonNode n, String field) {
        Set<String> out = new HashSet<>();
        n.path(field).forEach(v -> out.add(v.asText()));
        return out;
    }
}
