package dev.switchboard.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.EventMetadata;
import dev.switchboard.TraceContext;
import java.util.Objects;

/**
 * The frames of wire protocol v1 (see {@code docs/protocol.md}). Each is one JSON object with a
 * {@code "type"}. Request ids are kept as JSON ({@code 7} or {@code "s-3"}) so replies echo them exactly.
 */
public sealed interface Frame {

    /** @return the frame's {@code type} */
    String type();

    /**
     * The server's first frame; {@code expiresInMs} (or null) is how long the client's token is still
     * valid, so it can send a fresh one ({@link Auth}) in time.
     */
    record Welcome(String connectionId, String node, long heartbeatMs, int maxFrameBytes, Long expiresInMs)
            implements Frame {
        /** A welcome without expiry. */
        public Welcome(String connectionId, String node, long heartbeatMs, int maxFrameBytes) {
            this(connectionId, node, heartbeatMs, maxFrameBytes, null);
        }

        public String type() { return "welcome"; }
    }

    /**
     * A client's fresh token for its connection, before the current one expires; answered with a
     * {@code reply} carrying {@code {"expiresInMs": …}} or an error. Its {@code toString} hides the token.
     */
    record Auth(JsonNode id, String token) implements Frame {
        public Auth { Objects.requireNonNull(id, "id"); Objects.requireNonNull(token, "token"); }
        public String type() { return "auth"; }

        @Override
        public String toString() {
            return "Auth[id=" + id + ", token=***]";
        }
    }

    /**
     * A fire-and-forget event from the client; {@code trace} (optional {@code traceparent} and
     * {@code tracestate} fields) is the W3C trace context the client sends it in, or null.
     */
    record Emit(String event, JsonNode data, TraceContext trace) implements Frame {
        public Emit { Objects.requireNonNull(event, "event"); }
        /** An emit without trace context. */
        public Emit(String event, JsonNode data) { this(event, data, null); }
        public String type() { return "emit"; }
    }

    /**
     * A request, in either direction; {@code id} is chosen by the requester; {@code trace} as for
     * {@link Emit}, or null.
     */
    record Request(JsonNode id, String event, JsonNode data, TraceContext trace) implements Frame {
        public Request { Objects.requireNonNull(id, "id"); Objects.requireNonNull(event, "event"); }
        /** A request without trace context. */
        public Request(JsonNode id, String event, JsonNode data) { this(id, event, data, null); }
        public String type() { return "request"; }
    }

    /** The answer to a request, in either direction: {@code data} or {@code error}, never both. */
    record Reply(JsonNode id, JsonNode data, WireError error) implements Frame {
        public Reply { Objects.requireNonNull(id, "id"); }
        public String type() { return "reply"; }
        /** @return true when this reply carries an error */
        public boolean isError() { return error != null; }
    }

    /** A client's request to join a topic; {@code since} (durable topics) may be null. */
    record Subscribe(JsonNode id, String topic, JsonNode since) implements Frame {
        public Subscribe { Objects.requireNonNull(id, "id"); Objects.requireNonNull(topic, "topic"); }
        public String type() { return "subscribe"; }
    }

    /** A client's request to leave a topic. */
    record Unsubscribe(JsonNode id, String topic) implements Frame {
        public Unsubscribe { Objects.requireNonNull(id, "id"); Objects.requireNonNull(topic, "topic"); }
        public String type() { return "unsubscribe"; }
    }

    /**
     * An event pushed by the server; {@code topic} and {@code offset} may be null, {@code metadata} (the
     * frame's {@code id}, {@code source}, {@code time}, {@code traceparent} and {@code tracestate}) is
     * {@link EventMetadata#NONE} when it has none.
     */
    record Event(String event, String topic, Long offset, JsonNode data, EventMetadata metadata) implements Frame {
        public Event {
            Objects.requireNonNull(event, "event");
            metadata = metadata == null ? EventMetadata.NONE : metadata;
        }
        /** An event without metadata. */
        public Event(String event, String topic, Long offset, JsonNode data) { this(event, topic, offset, data, null); }
        public String type() { return "event"; }
    }

    /** A protocol-level error not tied to a request. */
    record Error(WireError error) implements Frame {
        public Error { Objects.requireNonNull(error, "error"); }
        public String type() { return "error"; }
    }

    /** The server's heartbeat. */
    record Ping() implements Frame {
        public String type() { return "ping"; }
    }

    /** The client's answer to a ping. */
    record Pong() implements Frame {
        public String type() { return "pong"; }
    }
}
