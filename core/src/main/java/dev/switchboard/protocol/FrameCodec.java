package dev.switchboard.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import dev.switchboard.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Encodes and decodes protocol v1 frames. Thread-safe. Decoding is strict about what the protocol
 * requires (a {@code type}, ids on requests, string event names) and lenient about extra fields.
 */
public final class FrameCodec {
    private final ObjectMapper mapper;

    /** @param mapper the mapper for event data */
    public FrameCodec(ObjectMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /** @return the mapper */
    public ObjectMapper mapper() {
        return mapper;
    }

    /**
     * @param text one text frame
     * @return the frame
     * @throws ProtocolException with {@code bad_request} for non-JSON, a missing or unknown type, or a
     *     missing required field
     */
    public Frame decode(String text) {
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "frame is not JSON", null);
        }
        if (root == null || !root.isObject()) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "frame is not a JSON object", null);
        }
        JsonNode typeNode = root.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "frame has no \"type\"", null);
        }
        String type = typeNode.asText();
        JsonNode id = root.get("id");
        if (id != null && !(id.isIntegralNumber() || id.isTextual())) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "\"id\" must be a number or a string", null);
        }
        JsonNode data = root.get("data");
        return switch (type) {
            case "emit" -> new Frame.Emit(text(root, "event", type, null), data);
            case "request" -> new Frame.Request(required(id, type), text(root, "event", type, id), data);
            case "reply" -> new Frame.Reply(required(id, type), data, error(root.get("error")));
            case "subscribe" -> new Frame.Subscribe(required(id, type), text(root, "topic", type, id),
                    nullIfMissing(root.get("since")));
            case "unsubscribe" -> new Frame.Unsubscribe(required(id, type), text(root, "topic", type, id));
            case "event" -> {
                JsonNode offset = root.get("offset");
                JsonNode topic = root.get("topic");
                yield new Frame.Event(text(root, "event", type, null),
                        topic == null || topic.isNull() ? null : topic.asText(),
                        offset == null || !offset.isIntegralNumber() ? null : offset.asLong(), data);
            }
            case "welcome" -> new Frame.Welcome(text(root, "connectionId", type, null), text(root, "node", type, null),
                    root.path("heartbeatMs").asLong(), root.path("maxFrameBytes").asInt(),
                    root.path("expiresInMs").canConvertToLong() && root.path("expiresInMs").isIntegralNumber()
                            ? root.path("expiresInMs").asLong() : null);
            case "auth" -> new Frame.Auth(required(id, type), text(root, "token", type, id));
            case "error" -> {
                WireError e = error(root.get("error"));
                if (e == null) {
                    throw new ProtocolException(ErrorCode.BAD_REQUEST, "error frame has no \"error\"", null);
                }
                yield new Frame.Error(e);
            }
            case "ping" -> new Frame.Ping();
            case "pong" -> new Frame.Pong();
            default -> throw new ProtocolException(ErrorCode.BAD_REQUEST, "unknown frame type " + WireError.quote(type), id);
        };
    }

    /**
     * @param frame a frame
     * @return its UTF-8 JSON encoding
     */
    public byte[] encode(Frame frame) {
        ByteArrayBuilder out = new ByteArrayBuilder(128);
        try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", frame.type());
            if (frame instanceof Frame.Welcome w) {
                g.writeStringField("connectionId", w.connectionId());
                g.writeStringField("node", w.node());
                g.writeNumberField("heartbeatMs", w.heartbeatMs());
                g.writeNumberField("maxFrameBytes", w.maxFrameBytes());
                if (w.expiresInMs() != null) {
                    g.writeNumberField("expiresInMs", w.expiresInMs());
                }
            } else if (frame instanceof Frame.Auth a) {
                writeId(g, a.id());
                g.writeStringField("token", a.token());
            } else if (frame instanceof Frame.Emit e) {
                g.writeStringField("event", e.event());
                writeData(g, e.data());
            } else if (frame instanceof Frame.Request r) {
                writeId(g, r.id());
                g.writeStringField("event", r.event());
                writeData(g, r.data());
            } else if (frame instanceof Frame.Reply r) {
                writeId(g, r.id());
                if (r.error() != null) {
                    writeError(g, r.error());
                } else {
                    writeData(g, r.data());
                }
            } else if (frame instanceof Frame.Subscribe s) {
                writeId(g, s.id());
                g.writeStringField("topic", s.topic());
                if (s.since() != null) {
                    g.writeFieldName("since");
                    mapper.writeTree(g, s.since());
                }
            } else if (frame instanceof Frame.Unsubscribe u) {
                writeId(g, u.id());
                g.writeStringField("topic", u.topic());
            } else if (frame instanceof Frame.Event e) {
                g.writeStringField("event", e.event());
                if (e.topic() != null) {
                    g.writeStringField("topic", e.topic());
                }
                if (e.offset() != null) {
                    g.writeNumberField("offset", e.offset());
                }
                writeData(g, e.data());
            } else if (frame instanceof Frame.Error e) {
                writeError(g, e.error());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Encodes an {@code event} frame straight from an application value, without building a tree.
     *
     * @param event the event name
     * @param topic the topic, or null
     * @param offset the durable offset, or null
     * @param data any value the mapper can serialise, or null
     * @return the UTF-8 JSON encoding
     * @throws IllegalArgumentException when the mapper cannot serialise {@code data}
     */
    public byte[] encodeEvent(String event, String topic, Long offset, Object data) {
        ByteArrayBuilder out = new ByteArrayBuilder(128);
        try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", "event");
            if (offset != null) {
                g.writeNumberField("offset", offset);
            }
            g.writeStringField("event", event);
            if (topic != null) {
                g.writeStringField("topic", topic);
            }
            g.writeFieldName("data");
            mapper.writeValue(g, data);
            g.writeEndObject();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise data of event " + event + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static final byte[] EVENT_PREFIX = "{\"type\":\"event\",".getBytes(StandardCharsets.UTF_8);

    /**
     * Stamps an event frame encoded without offset (by {@link #encodeEvent}) with one, without
     * re-encoding its data: {@code {"type":"event","offset":42,…}}. Durable topics store frames without
     * offset and stamp them when they are sent.
     *
     * @param eventFrame an event frame as {@link #encodeEvent} writes it, with no offset
     * @param offset the offset
     * @return a new frame with the offset
     */
    public byte[] withOffset(byte[] eventFrame, long offset) {
        if (!startsWith(eventFrame, EVENT_PREFIX)) {
            return reencodeWithOffset(eventFrame, offset);
        }
        byte[] field = ("\"offset\":" + offset + ",").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[eventFrame.length + field.length];
        System.arraycopy(eventFrame, 0, out, 0, EVENT_PREFIX.length);
        System.arraycopy(field, 0, out, EVENT_PREFIX.length, field.length);
        System.arraycopy(eventFrame, EVENT_PREFIX.length, out, EVENT_PREFIX.length + field.length,
                eventFrame.length - EVENT_PREFIX.length);
        return out;
    }

    private byte[] reencodeWithOffset(byte[] frame, long offset) {
        try {
            JsonNode root = mapper.readTree(frame);
            if (root == null || !root.isObject() || !"event".equals(root.path("type").asText())) {
                throw new IllegalArgumentException("not an event frame");
            }
            String topic = root.hasNonNull("topic") ? root.get("topic").asText() : null;
            return encodeEvent(root.path("event").asText(), topic, offset, root.get("data"));
        } catch (IOException e) {
            throw new IllegalArgumentException("not an event frame: " + e.getMessage(), e);
        }
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** @param value any serialisable value, or null @return it as a JSON tree ({@code null} → JSON null) */
    public JsonNode toTree(Object value) {
        if (value instanceof JsonNode node) {
            return node;
        }
        try {
            return mapper.valueToTree(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot serialise " + value.getClass().getName() + ": " + e.getMessage(), e);
        }
    }

    private void writeData(JsonGenerator g, JsonNode data) throws IOException {
        g.writeFieldName("data");
        if (data == null) {
            g.writeNull();
        } else {
            mapper.writeTree(g, data);
        }
    }

    private void writeId(JsonGenerator g, JsonNode id) throws IOException {
        g.writeFieldName("id");
        mapper.writeTree(g, id);
    }

    private static void writeError(JsonGenerator g, WireError e) throws IOException {
        g.writeObjectFieldStart("error");
        g.writeStringField("code", e.code());
        g.writeStringField("message", e.message());
        g.writeEndObject();
    }

    private static JsonNode required(JsonNode id, String type) {
        if (id == null || id.isNull()) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, type + " frame has no \"id\"", null);
        }
        return id;
    }

    private static String text(JsonNode root, String field, String type, JsonNode id) {
        JsonNode n = root.get(field);
        if (n == null || n.getNodeType() != JsonNodeType.STRING || n.asText().isEmpty()) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, type + " frame needs a string \"" + field + "\"", id);
        }
        return n.asText();
    }

    private static JsonNode nullIfMissing(JsonNode n) {
        return n == null || n.isNull() ? null : n;
    }

    private static WireError error(JsonNode e) {
        if (e == null || !e.isObject()) {
            return null;
        }
        return new WireError(e.path("code").asText("internal"), e.path("message").asText(""));
    }
}
