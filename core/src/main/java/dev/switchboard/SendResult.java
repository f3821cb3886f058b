package dev.switchboard;

/** What happened to a frame handed to a connection. Sending never throws for these outcomes. */
public enum SendResult {
    /** Queued for writing; it will be written unless the connection closes first. */
    QUEUED,
    /** Not queued: the connection's outbound queue is full; the connection is being closed with 1013. */
    DROPPED,
    /** Not queued: the connection is closing or closed. */
    CLOSED,
    /**
     * Not queued, on purpose: the connection belongs to a {@link PlainEndpoint} whose
     * {@link TextRenderer} sends nothing for this event.
     */
    SKIPPED
}
