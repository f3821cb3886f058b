package dev.switchboard.spi;

/**
 * The core's side of one connection: the transport calls these as things happen on the socket.
 * Calls for one connection must not overlap; they may come from I/O threads, and implementations
 * return quickly without blocking (the core hands work to its own executor).
 */
public interface SessionHandler {

    /** @param text one complete text message */
    void onText(String text);

    /** @param size the size of a binary message, which protocol v1 does not allow */
    void onBinary(int size);

    /**
     * The connection is gone. Called exactly once, last, after {@link #onError} where there was one.
     *
     * @param code the close code (1006 when the connection dropped without a close frame)
     * @param reason the close reason, possibly empty
     */
    void onClosed(int code, String reason);

    /** @param cause a transport failure; {@link #onClosed} follows */
    void onError(Throwable cause);

    /**
     * A WebSocket pong control frame arrived (the answer to {@link TransportSession#ping()}): the peer is
     * alive. The default does nothing; transports that support pings report every pong.
     */
    default void onPong() {
    }
}
