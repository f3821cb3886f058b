package dev.switchboard.internal;

import dev.switchboard.Audience;

/**
 * The messages nodes exchange over a backplane. Each carries the protocol version {@code v} and the
 * sending node, so a node can ignore its own messages and refuse versions it does not speak.
 */
sealed interface ClusterMessage {

    /** The cluster protocol version this node writes. */
    int VERSION = 1;

    /** @return the node that sent the message */
    String from();

    /**
     * A message routed to an audience: every node resolves the audience against its own registry and
     * writes {@code frame}, already encoded, to each match.
     */
    record Routed(String from, Audience audience, byte[] frame) implements ClusterMessage { }
}
