package dev.switchboard.spring.boot.internal;

import dev.switchboard.spi.EncodedFrame;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * Writes frames to one WebSocket the fastest way its container allows. None of these methods blocks the
 * caller; the core has at most one write in flight per connection.
 */
interface FrameWriter {
    /** RFC 6455 allows 123 bytes of close reason (125 minus the code). */
    int MAX_REASON_BYTES = 123;

    /**
     * @param frame the frame, shared with other connections
     * @param done called exactly once, with {@code null} or the failure, on any thread
     */
    void send(EncodedFrame frame, Consumer<Throwable> done);

    /**
     * @param frames the frames, in order (the list is only valid during the call)
     * @param done called exactly once, after the last frame or at the first failure
     * @return false when this writer cannot batch; the caller then sends one frame after the other
     */
    boolean sendBatch(List<EncodedFrame> frames, Consumer<Throwable> done);

    /**
     * Starts a close handshake without blocking.
     *
     * @param code the close code
     * @param reason the reason, at most {@link #MAX_REASON_BYTES} UTF-8 bytes
     */
    void close(int code, String reason);

    /**
     * Sends a WebSocket ping without blocking; the client's pong arrives as a {@code PongMessage}.
     *
     * @return false when the ping could not be handed over
     */
    boolean ping();

    /** Drops the connection, or closes it at once where the container has no abort. */
    void abort();

    /** @return how frames are written, for logs and tests: {@code jetty-core}, {@code jakarta-async} or {@code spring} */
    String kind();

    /**
     * @param reason a close reason
     * @return it cut to {@link #MAX_REASON_BYTES} UTF-8 bytes on a character boundary
     */
    static String truncate(String reason) {
        byte[] utf8 = reason.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= MAX_REASON_BYTES) {
            return reason;
        }
        int end = MAX_REASON_BYTES;
        while (end > 0 && (utf8[end] & 0xC0) == 0x80) {
            end--; // never cut inside a multi-byte character
        }
        return new String(utf8, 0, end, StandardCharsets.UTF_8);
    }
}
