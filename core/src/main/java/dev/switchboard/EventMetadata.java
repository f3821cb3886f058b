package dev.switchboard;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.Objects;

/**
 * Optional attributes of a routed event: who says it happened, when, under which id, and in which trace. They
 * travel in the {@code event} frame ({@code "id"}, {@code "source"}, {@code "time"}, {@code "traceparent"},
 * {@code "tracestate"}) to every node and every client, and become the CloudEvents attributes of the event on
 * {@code cloudevents.json} connections (the trace as the distributed-tracing extension).
 * Events routed with the emit API or handed on from a CloudEvent carry them; a plain
 * {@link Emitter#emit(String, Object)} carries none. Immutable.
 *
 * <pre>{@code
 * board.to(Audience.user("alice")).emit("order.status", status,
 *         EventMetadata.id("order-42-shipped").withTime(Instant.now()));
 * }</pre>
 *
 * @param id the event's id, unique within its source (clients may drop a second event with the same
 *     id), or {@code null}
 * @param source a URI reference naming the context the event happened in, e.g. {@code /orders}, or
 *     {@code null}: {@code cloudevents.json} connections then see the node's default source
 * @param time when the event happened, or {@code null}
 * @param trace the W3C trace context the event belongs to, or {@code null}: an emit without one takes
 *     {@link TraceContext#current()}, so an event emitted by a handler of a traced request carries its trace
 */
public record EventMetadata(String id, String source, Instant time, TraceContext trace) {

    /** No attributes: what a plain emit carries. */
    public static final EventMetadata NONE = new EventMetadata(null, null, null, null);

    /** The longest id and source accepted, in characters. */
    public static final int MAX_LENGTH = 256;

    /**
     * Validates.
     *
     * @throws IllegalArgumentException for an empty or over-long id or source, or a source that is not
     *     a URI reference
     */
    public EventMetadata {
        if (id != null && (id.isEmpty() || id.length() > MAX_LENGTH)) {
            throw new IllegalArgumentException("id must be 1 to " + MAX_LENGTH + " characters");
        }
        if (source != null) {
            if (source.isEmpty() || source.length() > MAX_LENGTH) {
                throw new IllegalArgumentException("source must be 1 to " + MAX_LENGTH + " characters");
            }
            try {
                new URI(source);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("source must be a URI reference: " + e.getMessage());
            }
        }
    }

    /**
     * Metadata without a trace context.
     *
     * @param id the event's id, or {@code null}
     * @param source a URI reference, or {@code null}
     * @param time when it happened, or {@code null}
     */
    public EventMetadata(String id, String source, Instant time) {
        this(id, source, time, null);
    }

    /** @param id the event's id @return metadata with only that id */
    public static EventMetadata id(String id) {
        return new EventMetadata(Objects.requireNonNull(id, "id"), null, null);
    }

    /** @param source a URI reference, or {@code null} @return a copy with that source */
    public EventMetadata withSource(String source) {
        return new EventMetadata(id, source, time, trace);
    }

    /** @param time when it happened, or {@code null} @return a copy with that time */
    public EventMetadata withTime(Instant time) {
        return new EventMetadata(id, source, time, trace);
    }

    /** @param trace the trace context, or {@code null} @return a copy with that trace context */
    public EventMetadata withTrace(TraceContext trace) {
        return new EventMetadata(id, source, time, trace);
    }

    /** @return true when no attribute is set */
    public boolean isEmpty() {
        return id == null && source == null && time == null && trace == null;
    }
}
