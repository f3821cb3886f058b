package dev.switchboard.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Audience;
import dev.switchboard.TraceContext;

/**
 * The messages nodes exchange over a backplane (cluster protocol version 1). Each carries the sending
 * node, so a node can ignore its own messages; the codec writes the version {@code v} into every
 * message and refuses versions it does not speak.
 */
sealed interface ClusterMessage {

    /** The cluster protocol version this node writes. */
    int VERSION = 1;

    /** @return the node that sent the message */
    String from();

    /**
     * A message routed to an audience: every node resolves the audience against its own registry and
     * writes {@code frame}, already encoded, to each match.
     *
     * @param echo true when the sending node delivers it too (a prepared, transactional publish)
     * @param durable the topic position when the frame belongs to a durable topic, else null
     * @param trace the event's W3C trace context (also in the frame), so the receiving node can trace its
     *     delivery without reading the frame; null for none
     */
    record Routed(String from, Audience audience, byte[] frame, boolean echo, Durable durable, TraceContext trace)
            implements ClusterMessage {
        /** A routed message without trace context. */
        Routed(String from, Audience audience, byte[] frame, boolean echo, Durable durable) {
            this(from, audience, frame, echo, durable, null);
        }
    }

    /** The position of a durable topic's message: its topic, epoch and offset. */
    record Durable(String topic, String epoch, long offset) { }

    /**
     * A node's periodic sign of life; {@code leaving} when it is shutting down.
     *
     * @param connections how many connections the node holds
     */
    record Heartbeat(String from, long connections, boolean leaving) implements ClusterMessage { }

    /** A cluster-wide query, answered by every live node with a {@link QueryReply}. */
    record Query(String from, String id, String kind, String argument) implements ClusterMessage { }

    /** One node's answer to a {@link Query}. */
    record QueryReply(String from, String id, JsonNode result) implements ClusterMessage { }
}
