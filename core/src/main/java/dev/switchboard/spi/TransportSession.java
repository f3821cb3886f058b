package dev.switchboard.spi;

import java.util.List;
import java.util.function.Consumer;

/**
 * A transport's view of one accepted WebSocket connection, handed to the core by a {@link Transport}.
 *
 * <p>The core has at most one write in flight per connection: it calls {@link #send} (or
 * {@link #sendBatch}) again only after the previous call's callback ran, so implementations need no
 * queue of their own. None of these methods may block the caller.
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
     * Writes several text frames, in order, as one write where the transport can (gathering them into
     * as few system calls as possible): the core hands over every frame queued for a connection at
     * once. The default writes them one after the other with {@link #send}.
     *
     * @param frames the frames; the list is only valid during this call (the core reuses it), the
     *     frames themselves are shared and must not be modified
     * @param done called exactly once, after the last frame was written or at the first failure, on
     *     any thread
     */
    default void sendBatch(List<EncodedFrame> frames, Consumer<Throwable> done) {
        if (frames.size() == 1) {
            send(frames.get(0), done);
            return;
        }
        EncodedFrame[] copy = frames.toArray(new EncodedFrame[0]);
        new Object() {
            int next;

            void write() {
                send(copy[next++], failure -> {
                    if (failure != null || next == copy.length) {
                        done.accept(failure);
                    } else {
                        write();
                    }
                });
            }
        }.write();
    }

    /**
     * Sends a WebSocket ping control frame, which every WebSocket client (browsers included) answers with
     * a pong by itself; the transport reports it with {@link SessionHandler#onPong()}. The core pings
     * connections of plain endpoints this way, since they do not speak the protocol's {@code ping}
     * frame. Never blocks; may be called while a {@link #send} is in flight.
     *
     * @return {@code true} when the ping was handed to the socket; {@code false} when this transport
     *     cannot ping (the default), in which case the core never closes such a connection for silence
     */
    default boolean ping() {
        return false;
    }

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
