package dev.switchboard;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One live client on this node.
 *
 * <p>Lifecycle: {@code OPEN → CLOSING → CLOSED}. Sending never blocks and never throws for a closed
 * or slow connection: it returns a {@link SendResult}. Every method is thread-safe.
 */
public interface Connection {

    /** The states of a connection. */
    enum State { OPEN, CLOSING, CLOSED }

    /** @return the connection id, unique in the cluster, e.g. {@code c-n1-7f3a} */
    String id();

    /** @return who the client is, fixed at the handshake */
    Identity identity();

    /** @return the upgrade request's path, query and headers */
    dev.switchboard.spi.Handshake handshake();

    /** @return the current state */
    State state();

    /** @return mutable, thread-safe per-connection attributes for the application */
    Map<String, Object> attributes();

    /** @return the topics this connection is in (a snapshot) */
    Set<String> topics();

    /**
     * Sends an {@code event} frame to this connection only; to a connection of a {@link PlainEndpoint},
     * the text its {@link TextRenderer} makes of the event.
     *
     * @param event the event name
     * @param data any value Jackson can serialise, or {@code null}
     * @return whether it was queued ({@link SendResult#SKIPPED} when a plain endpoint sends nothing for it)
     */
    SendResult send(String event, Object data);

    /**
     * Sends a request to the client and waits asynchronously for its {@code reply}.
     *
     * @param event the event name the client's handler is registered for
     * @param data the request data
     * @param timeout how long to wait for the reply
     * @return the reply's data; fails with {@link RequestTimeoutException},
     *     {@link ConnectionClosedException}, or a {@link SwitchboardException} carrying the client's error;
     *     at once with {@link UnsupportedOperationException} on a {@link PlainEndpoint}'s connection
     */
    CompletableFuture<JsonNode> request(String event, Object data, Duration timeout);

    /** @param topic a topic to add this connection to; idempotent */
    void join(String topic);

    /** @param topic a topic to remove this connection from; idempotent */
    void leave(String topic);

    /**
     * Closes gracefully: queued frames are written, then the close frame. Idempotent.
     *
     * @param code a WebSocket close code (see {@link CloseCodes})
     * @param reason a short reason
     */
    void close(int code, String reason);

    /** @return the bytes waiting in the outbound queue */
    long queuedBytes();
}
