package dev.switchboard;

/**
 * Observability hook with no-op defaults, for metrics and logging. Called synchronously on whatever
 * thread the event happened: implementations must be fast and must not throw.
 */
public interface EventListener {

    /** A listener that does nothing. */
    EventListener NONE = new EventListener() { };

    /** @param connection a connection that opened */
    default void connectionOpened(Connection connection) { }

    /** @param connection a connection that closed @param code its close code */
    default void connectionClosed(Connection connection, int code) { }

    /** @param event the event @param localRecipients how many local connections it was queued for */
    default void messageRouted(String event, int localRecipients) { }

    /** @param connection the requester's peer @param event the request that timed out */
    default void requestTimedOut(Connection connection, String event) { }

    /** @param connection a connection closed with 1013 because its outbound queue was full */
    default void slowConsumer(Connection connection) { }

    /** @param cause why a backplane publish failed */
    default void backplanePublishFailed(Throwable cause) { }

    /** @param connection the sender @param reason why one of its frames was refused */
    default void badFrame(Connection connection, String reason) { }
}
