package dev.switchboard.spi;

import java.util.function.Consumer;

/**
 * A transport's view of one accepted WebSocket connection, handed to the core by a {@link Transport}.
 *
 * <p>The core writes at most one frame at a time: it calls {@link #send} again only after the
 * previous send's callback ran, so implementations need no queue of their own. None of these methods
 * may block the caller.
 */
public interface TransportSession {

    /** @return the upgrade request this connection was accepted with */
    Handshake handshake();

    /** @return the sub-protocol the transport accepted, or {@code null} for none */
    String subProtocol();

    /**
     * Writes one text frame asynchronously.
     *
     * @param frame the frame to write (shared with other connections: do not modify its bytes)
     * @param done called exactly once, with {@code null} on success or the failure, on any thread
     */
    void send(EncodedFrame frame, Consumer<Throwable> done);

    /**
     * Starts a graceful close handshake. Idempotent.
     *
     * @param code the WebSocket close code
     * @param reason a short reason (at most 123 bytes)
     */
    void close(int code, String reason);

    /** Drops the connection at once without a close handshake. Idempotent. */
    void abort();
}
