package dev.switchboard;

/** What happened to a frame handed to a connection. Sending never throws for these outcomes. */
public enum SendResult {
    /** Queued for writing; it will be written unless the connection closes first. */
    QUEUED,
    /**
     * Not queued: the connection's backlog had reached its bound (a slow consumer); the connection is
     * being closed with 1013.
     */
    DROPPED,
    /**
     * Not queued: this one frame is larger than the connection's whole outbound bound
     * ({@link SwitchboardOptions#maxQueuedBytes()}), so it could never be written; the connection stays
     * open. A reply that large is answered with {@code too_large} instead.
     */
    TOO_LARGE,
    /** Not queued: the connection is closing or closed. */
    CLOSED,
    /**
     * Not queued, on purpose: the connection belongs to a {@link PlainEndpoint} whose
     * {@link TextRenderer} sends nothing for this event.
     */
    SKIPPED
}
