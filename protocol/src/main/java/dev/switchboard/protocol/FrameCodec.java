package dev.switchboard.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.ErrorCode;
import dev.switchboard.EventMetadata;
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
     * Decodes one frame by streaming over its envelope: the envelope's fields are read straight from the
     * parser and only {@code data} (and {@code since}, {@code error}) become JSON trees, so a frame costs
     * no tree and no map for the envelope itself.
     *
     * @param text one text frame
     * @return the frame
     * @throws ProtocolException with {@code bad_request} for non-JSON, a missing or unknown type, or a
     *     missing required field
     */
    public Frame decode(String text) {
        Envelope e = new Envelope();
        try (JsonParser p = mapper.getFactory().createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new ProtocolException(ErrorCode.BAD_REQUEST, "frame is not a JSON object", null);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken token = p.nextToken();
                switch (name) {
                    case "type" -> e.type = stringOrTree(p, token);
                    case "event" -> e.event = stringOrTree(p, token);
                    case "topic" -> e.topic = stringOrTree(p, token);
                    case "source" -> e.source = stringOrTree(p, token);
                    case "time" -> e.time = stringOrTree(p, token);
                    case "connectionId" -> e.connectionId = stringOrTree(p, token);
                    case "node" -> e.node = stringOrTree(p, token);
                    case "token" -> e.token = stringOrTree(p, token);
                    case "expiresInMs" -> e.expiresInMs = value(p, token);
                    case "id" -> e.id = value(p, token);
                    case "data" -> e.data = value(p, token);
                    case "since" -> e.since = value(p, token);
                    case "error" -> e.error = value(p, token);
                    case "offset" -> e.offset = value(p, token);
                    case "heartbeatMs" -> e.heartbeatMs = value(p, token);
                    case "maxFrameBytes" -> e.maxFrameBytes = value(p, token);
                    case "traceparent" -> e.traceparent = stringOrTree(p, token);
                    case "tracestate" -> e.tracestate = stringOrTree(p, token);
                    default -> p.skipChildren();
                }
            }
        } catch (JsonProcessingException ex) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "frame is not JSON", null);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex); // a String source does no I/O
        }
        if (!(e.type instanceof String type)) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "frame has no \"type\"", null);
        }
        JsonNode id = e.id;
        if (id != null && !(id.isIntegralNumber() || id.isTextual())) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "\"id\" must be a number or a string", null);
        }
        JsonNode data = e.data;
        return switch (type) {
            case "emit" -> new Frame.Emit(text(e.event, "event", type, null), data, trace(e));
            case "request" -> new Frame.Request(required(id, type), text(e.event, "event", type, id), data, trace(e));
            case "reply" -> new Frame.Reply(required(id, type), data, error(e.error));
            case "subscribe" -> new Frame.Subscribe(required(id, type), text(e.topic, "topic", type, id),
                    nullIfMissing(e.since));
            case "unsubscribe" -> new Frame.Unsubscribe(required(id, type), text(e.topic, "topic", type, id));
            case "event" -> {
                JsonNode offset = e.offset;
                EventMetadata metadata = metadata(id == null || !id.isTextual() ? null : id.asText(),
                        e.source instanceof String source ? source : null, e.time instanceof String time ? time : null,
                        trace(e));
                yield new Frame.Event(text(e.event, "event", type, null), lenientText(e.topic),
                        offset == null || !offset.isIntegralNumber() ? null : offset.asLong(), data, metadata);
            }
            case "welcome" -> new Frame.Welcome(text(e.connectionId, "connectionId", type, null),
                    text(e.node, "node", type, null), e.heartbeatMs == null ? 0 : e.heartbeatMs.asLong(),
                    e.maxFrameBytes == null ? 0 : e.maxFrameBytes.asInt(),
                    e.expiresInMs != null && e.expiresInMs.isIntegralNumber() && e.expiresInMs.canConvertToLong()
                            ? e.expiresInMs.asLong() : null);
            case "auth" -> new Frame.Auth(required(id, type), text(e.token, "token", type, id));
            case "error" -> {
                WireError err = error(e.error);
                if (err == null) {
                    throw new ProtocolException(ErrorCode.BAD_REQUEST, "error frame has no \"error\"", null);
                }
                yield new Frame.Error(err);
            }
            case "ping" -> new Frame.Ping();
            case "pong" -> new Frame.Pong();
            default -> throw new ProtocolException(ErrorCode.BAD_REQUEST, "unknown frame type " + WireError.quote(type), id);
        };
    }

    /** The envelope's fields as they were read: a String for string values, else a JSON tree. */
    private static final class Envelope {
        Object type;
        Object event;
        Object topic;
        Object source;
        Object time;
        Object connectionId;
        Object node;
        Object token;
        JsonNode id;
        JsonNode data;
        JsonNode since;
        JsonNode error;
        JsonNode offset;
        JsonNode heartbeatMs;
        JsonNode maxFrameBytes;
        JsonNode expiresInMs;
        Object traceparent;
        Object tracestate;
    }

    /** @return the frame's trace context; a malformed one is ignored, as the W3C recommends */
    private static dev.switchboard.TraceContext trace(Envelope e) {
        if (!(e.traceparent instanceof String tp)) {
            return null;
        }
        return dev.switchboard.TraceContext.parse(tp, e.tracestate instanceof String ts ? ts : null).orElse(null);
    }

    private Object stringOrTree(JsonParser p, JsonToken token) throws IOException {
        return token == JsonToken.VALUE_STRING ? p.getText() : value(p, token);
    }

    /** @return the value at the parser as a JSON tree; scalars without going through the mapper */
    private JsonNode value(JsonParser p, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_STRING -> TextNode.valueOf(p.getText());
            case VALUE_TRUE -> BooleanNode.TRUE;
            case VALUE_FALSE -> BooleanNode.FALSE;
            case VALUE_NULL -> NullNode.getInstance();
            case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.INT ? IntNode.valueOf(p.getIntValue())
                    : p.getNumberType() == JsonParser.NumberType.LONG ? LongNode.valueOf(p.getLongValue())
                    : mapper.readTree(p);
            default -> mapper.readTree(p);
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
                writeTrace(g, e.trace());
                writeData(g, e.data());
            } else if (frame instanceof Frame.Request r) {
                writeId(g, r.id());
                g.writeStringField("event", r.event());
                writeTrace(g, r.trace());
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
                writeMetadata(g, e.metadata());
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
        return encodeEvent(event, topic, offset, data, null);
    }

    /**
     * Encodes an {@code event} frame with the event's metadata: {@code "id"}, {@code "source"} and
     * {@code "time"} (RFC 3339, UTC) follow {@code "event"} when set.
     *
     * @param event the event name
     * @param topic the topic, or null
     * @param offset the durable offset, or null
     * @param data any value the mapper can serialise, or null
     * @param metadata the event's id, source and time, or null for none
     * @return the UTF-8 JSON encoding
     * @throws IllegalArgumentException when the mapper cannot serialise {@code data}
     */
    public byte[] encodeEvent(String event, String topic, Long offset, Object data, EventMetadata metadata) {
        ByteArrayBuilder out = new ByteArrayBuilder(128);
        try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", "event");
            if (offset != null) {
                g.writeNumberField("offset", offset);
            }
            g.writeStringField("event", event);
            if (metadata != null) {
                writeMetadata(g, metadata);
            }
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

    private static void writeMetadata(JsonGenerator g, EventMetadata metadata) throws IOException {
        if (metadata.id() != null) {
            g.writeStringField("id", metadata.id());
        }
        if (metadata.source() != null) {
            g.writeStringField("source", metadata.source());
        }
        if (metadata.time() != null) {
            g.writeStringField("time", metadata.time().toString());
        }
        writeTrace(g, metadata.trace());
    }

    private static void writeTrace(JsonGenerator g, dev.switchboard.TraceContext trace) throws IOException {
        if (trace != null) {
            g.writeStringField("traceparent", trace.traceparent());
            if (trace.tracestate() != null) {
                g.writeStringField("tracestate", trace.tracestate());
            }
        }
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
            return encodeEvent(root.path("event").asText(), topic, offset, root.get("data"), metadataOf(root));
        } catch (IOException e) {
            throw new IllegalArgumentException("not an event frame: " + e.getMessage(), e);
        }
    }

    /**
     * @param eventFrame an {@code event} frame as a tree
     * @return its {@code id}, {@code source} and {@code time}; {@link EventMetadata#NONE} when it has none
     *     (a malformed attribute is left out)
     */
    public static EventMetadata metadataOf(JsonNode eventFrame) {
        return metadata(textOrNull(eventFrame.get("id")), textOrNull(eventFrame.get("source")),
                textOrNull(eventFrame.get("time")), dev.switchboard.TraceContext.parse(
                        textOrNull(eventFrame.get("traceparent")), textOrNull(eventFrame.get("tracestate"))).orElse(null));
    }

    /**
     * @return the event's metadata from the frame's attributes as read; {@link EventMetadata#NONE} when it has
     *     none (a time that is not RFC 3339 is left out, and so are id and source when either is malformed)
     */
    private static EventMetadata metadata(String id, String source, String time, dev.switchboard.TraceContext trace) {
        id = id == null || id.isEmpty() ? null : id;
        source = source == null || source.isEmpty() ? null : source;
        java.time.Instant instant = null;
        if (time != null && !time.isEmpty()) {
            try {
                instant = java.time.OffsetDateTime.parse(time).toInstant();
            } catch (java.time.format.DateTimeParseException e) {
                instant = null;
            }
        }
        if (id == null && source == null && instant == null && trace == null) {
            return EventMetadata.NONE;
        }
        try {
            return new EventMetadata(id, source, instant, trace);
        } catch (IllegalArgumentException e) {
            return new EventMetadata(null, null, instant, trace);
        }
    }

    private static String textOrNull(JsonNode n) {
        return n != null && n.isTextual() && !n.asText().isEmpty() ? n.asText() : null;
    }

    /**
     * @param frame an encoded frame
     * @return true when it is an {@code event} frame as this codec writes them ({@code type} first)
     */
    public static boolean isEventFrame(byte[] frame) {
        return startsWith(frame, EVENT_PREFIX);
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

    /** @return a required non-empty string field's value */
    private static String text(Object value, String field, String type, JsonNode id) {
        if (!(value instanceof String s) || s.isEmpty()) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, type + " frame needs a string \"" + field + "\"", id);
        }
        return s;
    }

    /** @return an optional field read leniently, as {@link JsonNode#asText()} would: null when absent or null */
    private static String lenientText(Object value) {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        JsonNode n = (JsonNode) value;
        return n.isNull() ? null : n.asText();
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
