package dev.switchboard;

/**
 * Where a request handler runs.
 *
 * <pre>{@code
 * board.onRequest("echo", JsonNode.class, (conn, data) -> data, Execution.INLINE);
 * }</pre>
 */
public enum Execution {

    /**
     * On the core's handler executor (virtual threads on Java 21+, a bounded pool on 17): the handler
     * may block on I/O. The default.
     */
    POOLED,

    /**
     * On the transport's thread that read the request, which then writes the reply: two thread
     * hand-offs fewer per request, for handlers that only compute or route and never block (no
     * database call, no durable emit, no waiting on a future — return a {@code CompletionStage}
     * instead). A blocking inline handler stalls every connection that thread serves. Interceptors run
     * on the same thread before it and must not block either.
     */
    INLINE
}
