package dev.switchboard.internal;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.ErrorCode;
import dev.switchboard.EventMetadata;
import dev.switchboard.cloudevents.CloudEventJson;
import dev.switchboard.protocol.Frame;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.protocol.WireError;
import dev.switchboard.spi.EncodedFrame;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventDeserializationException;
import io.cloudevents.jackson.JsonCloudEventData;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.rw.CloudEventRWException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * The {@code cloudevents.json} sub-protocol: every {@code event} frame goes out as a CloudEvents 1.0
 * structured JSON event, encoded once per message (memoised on the shared v1 frame through
 * {@link EncodedFrame#form}); every text frame a client sends is a CloudEvent whose {@code type} names
 * the {@code on(type)} handler and whose data is the handler's data. Errors go out as events of type
 * {@value #ERROR_TYPE}. The SDK reads and writes the events. Thread-safe.
 */
public final class CloudEventsWire {
    /** The sub-protocol name. */
    public static final String SUB_PROTOCOL = "cloudevents.json";
    /** The type of the events that carry an error to a {@code cloudevents.json} client. */
    public static final String ERROR_TYPE = "dev.switchboard.error";

    private static final byte[] ERROR_PREFIX = "{\"type\":\"error\",".getBytes(StandardCharsets.UTF_8);

    private final ObjectMapper mapper;
    private final JsonFormat format = new JsonFormat();
    private final URI defaultSource;
    private final Clock clock;

    /**
     * @param mapper the node's mapper
     * @param defaultSource the {@code source} of events routed without one
     * @param clock the {@code time} of events routed without one
     */
    public CloudEventsWire(ObjectMapper mapper, URI defaultSource, Clock clock) {
        this.mapper = mapper;
        this.defaultSource = defaultSource;
        this.clock = clock;
    }

    /**
     * @param frame a protocol v1 frame on its way to a {@code cloudevents.json} connection
     * @return what that connection gets: the event as a CloudEvent (shared by every such connection),
     *     an error as an error event, or {@code null} for frames this sub-protocol has no form for
     *     (welcome, ping, replies, requests)
     */
    EncodedFrame outbound(EncodedFrame frame) {
        byte[] bytes = frame.bytes();
        if (FrameCodec.isEventFrame(bytes)) {
            return frame.form(this, this::encode);
        }
        if (startsWith(bytes, ERROR_PREFIX)) {
            try {
                JsonNode e = mapper.readTree(bytes).path("error");
                return error(new WireError(e.path("code").asText("internal"), e.path("message").asText("")));
            } catch (IOException e) {
                return null;
            }
        }
        return null;
    }

    /** Encodes one event frame as a CloudEvent; called at most once per frame, by {@link EncodedFrame#form}. */
    private EncodedFrame encode(EncodedFrame frame) {
        JsonNode root;
        try {
            root = mapper.readTree(frame.bytes());
        } catch (IOException e) {
            throw new IllegalStateException("not an event frame", e);
        }
        EventMetadata meta = FrameCodec.metadataOf(root);
        Instant time = meta.time() != null ? meta.time() : clock.instant().truncatedTo(ChronoUnit.MILLIS);
        JsonNode data = root.get("data");
        CloudEventBuilder b = CloudEventBuilder.v1()
                .withId(meta.id() != null ? meta.id() : UUID.randomUUID().toString())
                .withSource(meta.source() != null ? URI.create(meta.source()) : defaultSource)
                .withType(root.path("event").asText())
                .withTime(time.atOffset(ZoneOffset.UTC))
                .withDataContentType("application/json")
                .withData(JsonCloudEventData.wrap(data == null ? NullNode.getInstance() : data));
        if (root.hasNonNull("topic")) {
            b.withExtension("topic", root.get("topic").asText());
        }
        if (root.path("offset").isIntegralNumber()) {
            b.withExtension("offset", root.get("offset").asLong());
        }
        if (meta.trace() != null) { // the CloudEvents distributed-tracing extension
            b.withExtension("traceparent", meta.trace().traceparent());
            if (meta.trace().tracestate() != null) {
                b.withExtension("tracestate", meta.trace().tracestate());
            }
        }
        return EncodedFrame.ofBytes(format.serialize(b.build()));
    }

    /**
     * @param error what went wrong
     * @return an event of type {@value #ERROR_TYPE} with data {@code {"code","message"}}
     */
    EncodedFrame error(WireError error) {
        ObjectNode data = mapper.createObjectNode();
        data.put("code", error.code());
        data.put("message", error.message());
        CloudEvent event = CloudEventBuilder.v1()
                .withId(UUID.randomUUID().toString())
                .withSource(defaultSource)
                .withType(ERROR_TYPE)
                .withTime(clock.instant().truncatedTo(ChronoUnit.MILLIS).atOffset(ZoneOffset.UTC))
                .withDataContentType("application/json")
                .withData(JsonCloudEventData.wrap(data))
                .build();
        return EncodedFrame.ofBytes(format.serialize(event));
    }

    /**
     * Reads a CloudEvent a {@code cloudevents.json} client sent, as the {@code emit} it stands for.
     *
     * @param text one text frame
     * @return an emit of event {@code type} with the event's data
     * @throws ProtocolException ({@code bad_request}) for anything that is not a valid CloudEvent
     */
    Frame.Emit decode(String text) {
        CloudEvent event;
        try {
            event = CloudEventJson.validated(format.deserialize(text.getBytes(StandardCharsets.UTF_8)), mapper);
            Object tp = event.getExtension("traceparent");
            Object ts = event.getExtension("tracestate");
            return new Frame.Emit(event.getType(), CloudEventJson.data(event, mapper), tp instanceof String p
                    ? dev.switchboard.TraceContext.parse(p, ts instanceof String t ? t : null).orElse(null) : null);
        } catch (RuntimeException e) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "not a valid CloudEvent: " + describe(e), null);
        }
    }

    /**
     * @param e what the SDK (or {@link CloudEventJson#validated}) threw for a malformed event
     * @return a short message naming what is wrong, without stack or parser locations
     */
    public static String describe(Throwable e) {
        Throwable t = e;
        while ((t instanceof EventDeserializationException || t instanceof CloudEventRWException)
                && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        if (t instanceof JsonMappingException jm) {
            return jm.getOriginalMessage();
        }
        if (t instanceof com.fasterxml.jackson.core.JsonProcessingException jp) {
            return "malformed JSON: " + jp.getOriginalMessage();
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
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
}
