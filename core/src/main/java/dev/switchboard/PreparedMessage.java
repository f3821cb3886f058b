package dev.switchboard;

import java.util.Objects;

/**
 * A routed message encoded for a backplane to carry later, made by {@link Emitter#prepare}. Its use
 * is the transactional publish: a backplane that stores into the application's database (Postgres'
 * {@code NOTIFY}) publishes it inside the application's own transaction, so that clients hear of a
 * change if and only if the transaction commits. Every node delivers a prepared message when the
 * backplane delivers it, the preparing node included.
 */
public final class PreparedMessage {
    private final String event;
    private final byte[] bytes;

    /**
     * @param event the event name, for logs and metrics
     * @param bytes the encoded cluster message; not copied
     */
    public PreparedMessage(String event, byte[] bytes) {
        this.event = Objects.requireNonNull(event, "event");
        this.bytes = Objects.requireNonNull(bytes, "bytes");
    }

    /** @return the event name */
    public String event() {
        return event;
    }

    /** @return the bytes to publish through the backplane; callers must not change them */
    public byte[] bytes() {
        return bytes;
    }

    /** @return the encoded size */
    public int size() {
        return bytes.length;
    }
}
