package dev.switchboard.spi;

/**
 * Accepts client connections and hands each to the core as a {@link TransportSession}. The core owns
 * everything above bytes: framing, queues, heartbeats, routing.
 */
public interface Transport extends AutoCloseable {

    /**
     * Starts accepting connections for the given acceptor.
     *
     * @param acceptor the core's entry point
     */
    void start(SessionAcceptor acceptor);

    /** Stops accepting and closes every open session with 1001. Idempotent. */
    @Override
    void close();
}
