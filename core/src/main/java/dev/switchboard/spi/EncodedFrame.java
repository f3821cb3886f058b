package dev.switchboard.spi;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One protocol frame, encoded once as UTF-8 JSON and shared by every connection it is written to.
 * Transports should write {@link #buffer()} (a fresh read-only view of the same bytes) where they can,
 * and fall back to {@link #text()} where their API only takes strings.
 */
public final class EncodedFrame {
    private final byte[] utf8;
    private volatile String text;
    // Other encodings of this frame, memoised: one list node per encoding asked for (rarely more than one).
    private Form forms;

    private EncodedFrame(byte[] utf8, String text) {
        this.utf8 = utf8;
        this.text = text;
    }

    /** @param utf8 the frame's UTF-8 bytes, not copied: callers must not change them @return the frame */
    public static EncodedFrame ofBytes(byte[] utf8) {
        return new EncodedFrame(Objects.requireNonNull(utf8, "utf8"), null);
    }

    /** @param text the frame's JSON text @return the frame */
    public static EncodedFrame ofText(String text) {
        return new EncodedFrame(text.getBytes(StandardCharsets.UTF_8), text);
    }

    /** @return a new read-only buffer over the shared bytes (position 0, limit = size) */
    public ByteBuffer buffer() {
        return ByteBuffer.wrap(utf8).asReadOnlyBuffer();
    }

    /** @return the frame as a string, decoded at most once */
    public String text() {
        String t = text;
        if (t == null) {
            t = new String(utf8, StandardCharsets.UTF_8);
            text = t;
        }
        return t;
    }

    /** @return the encoded size in bytes */
    public int size() {
        return utf8.length;
    }

    /** @return the shared bytes; callers must not change them */
    public byte[] bytes() {
        return utf8;
    }

    /**
     * This frame in another encoding, for connections that speak another sub-protocol (such as
     * {@code cloudevents.json}): computed by {@code encoding} the first time it is asked for, then kept
     * with this frame, so every connection of that sub-protocol gets the same bytes and a message is
     * encoded at most once per encoding, however many connections it reaches. Thread-safe; the first
     * caller encodes while concurrent callers wait for its result.
     *
     * @param encoding the other encoding; compared by identity, so keep one instance per encoding
     * @return the frame in that encoding, or {@code null} when it has no such form (e.g. a frame that
     *     is not an event)
     */
    public EncodedFrame as(Encoding encoding) {
        Objects.requireNonNull(encoding, "encoding");
        synchronized (this) {
            for (Form f = forms; f != null; f = f.next) {
                if (f.encoding == encoding) {
                    return f.frame;
                }
            }
            EncodedFrame other = encoding.encode(this);
            forms = new Form(encoding, other, forms);
            return other;
        }
    }

    /** Turns a protocol v1 frame into another encoding; see {@link EncodedFrame#as(Encoding)}. */
    @FunctionalInterface
    public interface Encoding {
        /**
         * @param frame a protocol v1 frame
         * @return the frame in this encoding, or {@code null} when it has none
         */
        EncodedFrame encode(EncodedFrame frame);
    }

    private record Form(Encoding encoding, EncodedFrame frame, Form next) { }

    @Override
    public String toString() {
        return text();
    }
}
