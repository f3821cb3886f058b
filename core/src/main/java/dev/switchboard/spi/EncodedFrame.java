package dev.switchboard.spi;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One protocol frame, encoded once as UTF-8 JSON and shared by every connection it is written to.
 * Transports should write {@link #buffer()} (a fresh read-only view of the same bytes) where they can,
 * and fall back to {@link #text()} where their API only takes strings.
 */
public final class EncodedFrame {
    /** Memoises "this message has no form for that key". */
    private static final Object NO_FORM = new Object();

    private final byte[] utf8;
    private volatile String text;
    /** Other encodings of the same message, by form key; created on first use. */
    private volatile Map<Object, Object> forms;

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
     * Another encoding of the same message, computed at most once per key and then shared by every
     * connection that wants it: e.g. the text a plain WebSocket endpoint sends for an event frame. So a
     * message routed to connections speaking different forms is still encoded once per form, not once
     * per connection.
     *
     * @param key identifies the form (compared with {@code equals}); use one long-lived object per form
     * @param encoder makes the form from this frame, or returns {@code null} when this message has none;
     *     called at most once per key, on the first caller's thread, and must not call {@code form} on
     *     this frame again
     * @return the form, or {@code null} when the encoder returned none
     */
    public EncodedFrame form(Object key, Function<? super EncodedFrame, EncodedFrame> encoder) {
        Objects.requireNonNull(key, "key");
        Map<Object, Object> m = forms;
        if (m == null) {
            synchronized (this) {
                m = forms;
                if (m == null) {
                    m = new ConcurrentHashMap<>(2);
                    forms = m;
                }
            }
        }
        Object f = m.computeIfAbsent(key, k -> {
            EncodedFrame made = encoder.apply(this);
            return made == null ? NO_FORM : made;
        });
        return f == NO_FORM ? null : (EncodedFrame) f;
    }

    @Override
    public String toString() {
        return text();
    }
}
