package dev.switchboard.spi;

import java.util.Objects;

/**
 * One message of a durable topic's log.
 *
 * @param offset its offset in the log's epoch
 * @param timestampMillis when it was appended, in milliseconds since 1970 (the store's or the
 *     appending node's clock)
 * @param message the stored bytes; callers must not change them
 */
public record HistoryEntry(long offset, long timestampMillis, byte[] message) {

    /** Validates. */
    public HistoryEntry {
        Objects.requireNonNull(message, "message");
        if (offset < 1) {
            throw new IllegalArgumentException("offset must be >= 1: " + offset);
        }
    }
}
