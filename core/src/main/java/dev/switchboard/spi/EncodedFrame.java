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

    @Override
    public String toString() {
        return text();
    }
}
