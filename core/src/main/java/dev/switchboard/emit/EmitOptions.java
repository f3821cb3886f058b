package dev.switchboard.emit;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a node's {@link EmitService}. Immutable; validated at construction.
 *
 * @param dedupWindow how long an id is remembered: a message whose id was accepted less than this long
 *     ago is not delivered again (default 10 minutes; {@link Duration#ZERO} turns de-duplication off)
 * @param dedupCapacity how many ids are remembered at most; past it the oldest are forgotten first,
 *     before their window ends (default 100,000, a few MB)
 */
public record EmitOptions(Duration dedupWindow, int dedupCapacity) {

    /** Validates. */
    public EmitOptions {
        Objects.requireNonNull(dedupWindow, "dedupWindow");
        if (dedupWindow.isNegative()) {
            throw new IllegalArgumentException("dedupWindow must not be negative: " + dedupWindow);
        }
        if (dedupCapacity < 1) {
            throw new IllegalArgumentException("dedupCapacity must be positive: " + dedupCapacity);
        }
    }

    /** @return the defaults: a 10 minute window, 100,000 ids */
    public static EmitOptions defaults() {
        return new EmitOptions(Duration.ofMinutes(10), 100_000);
    }

    /** @param window the de-duplication window @return a copy with it */
    public EmitOptions withDedupWindow(Duration window) {
        return new EmitOptions(window, dedupCapacity);
    }

    /** @param capacity how many ids to remember @return a copy with it */
    public EmitOptions withDedupCapacity(int capacity) {
        return new EmitOptions(dedupWindow, capacity);
    }
}
