package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.switchboard.EventMetadata;
import dev.switchboard.TraceContext;
import java.time.Instant;
import java.util.Objects;

/**
 * An {@code event} frame pushed by the server, as delivered to a {@link TopicListener}.
 *
 * <p>Besides its name, topic, offset and data, an event may carry where it came from (the frame's optional
 * {@code id}, {@code source} and {@code time}: events routed by the emit API carry the message's id and the
 * time it was accepted, events an application hands on from a CloudEvent the CloudEvent's id, source and
 * time) and the W3C trace it belongs to ({@code traceparent}, {@code tracestate}). Each accessor returns
 * {@code null} when the frame did not carry that attribute (or carried a malformed one).
 *
 * @param event the event name, e.g. {@code chat.message} or {@code ADDED}
 * @param topic the topic it was routed through, or {@code null} when it was sent to the connection
 *     directly (by connection, user, role or organisation)
 * @param offset the event's offset on a durable topic, or {@code null}
 * @param data the event's data; JSON {@code null} when the frame had none, never Java {@code null}
 * @param metadata the event's id, source, time and trace context; {@link EventMetadata#NONE} when it has
 *     none, never {@code null}
 */
public record ServerEvent(String event, String topic, Long offset, JsonNode data, EventMetadata metadata) {

    /** Requires an event name; a {@code null} data becomes {@link NullNode}, a {@code null} metadata none. */
    public ServerEvent {
        Objects.requireNonNull(event, "event");
        data = data == null ? NullNode.getInstance() : data;
        metadata = metadata == null ? EventMetadata.NONE : metadata;
    }

    /**
     * An event without metadata.
     *
     * @param event the event name
     * @param topic the topic, or {@code null}
     * @param offset the offset, or {@code null}
     * @param data the data, or {@code null}
     */
    public ServerEvent(String event, String topic, Long offset, JsonNode data) {
        this(event, topic, offset, data, EventMetadata.NONE);
    }

    /**
     * @return the event's id, unique within its source (an event shown once may be dropped when it comes
     *     again with the same id), or {@code null}; not the {@code id} of requests and replies
     */
    public String id() {
        return metadata.id();
    }

    /** @return a URI reference naming where the event happened, e.g. {@code /commerce}, or {@code null} */
    public String source() {
        return metadata.source();
    }

    /** @return when the event happened, or {@code null} */
    public Instant time() {
        return metadata.time();
    }

    /** @return the W3C {@code traceparent} of the trace the event belongs to, or {@code null} */
    public String traceparent() {
        TraceContext trace = metadata.trace();
        return trace == null ? null : trace.traceparent();
    }

    /** @return the W3C {@code tracestate} that came with {@link #traceparent()}, or {@code null} */
    public String tracestate() {
        TraceContext trace = metadata.trace();
        return trace == null ? null : trace.tracestate();
    }
}
