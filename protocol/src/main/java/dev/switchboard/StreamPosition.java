package dev.switchboard;

import java.util.Objects;

/**
 * A position in a durable topic's history: the epoch of the history and an offset in it. Offsets
 * start at 1 for the first message of an epoch and grow by exactly one per message; offset 0 means
 * "before the first message". The epoch is an opaque string that changes whenever the history loses
 * messages it had promised to keep (its store was wiped, say), so offsets of different epochs are
 * never compared.
 *
 * @param epoch the history's epoch
 * @param offset the offset of the last message at this position
 */
public record StreamPosition(String epoch, long offset) {

    /** Validates. */
    public StreamPosition {
        Objects.requireNonNull(epoch, "epoch");
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0: " + offset);
        }
    }
}
