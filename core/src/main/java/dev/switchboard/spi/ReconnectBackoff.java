package dev.switchboard.spi;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one reconnect backoff of every backplane: attempt n waits a random time between half and all of
 * {@code min × 2^n}, capped at {@code max}; the jitter keeps a cluster's nodes from reconnecting in
 * lockstep after a server restart. Counts failed attempts itself ({@link #nextDelayMillis()},
 * {@link #reset()}) or answers for a given attempt ({@link #delayMillis(int)}). Not thread-safe: one per
 * reconnecting loop.
 */
public final class ReconnectBackoff {
    private final Duration min;
    private final Duration max;
    private int failures;

    /**
     * @param min the first delay, positive
     * @param max the cap, at least {@code min}
     */
    public ReconnectBackoff(Duration min, Duration max) {
        this.min = Objects.requireNonNull(min, "min");
        this.max = Objects.requireNonNull(max, "max");
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("need 0 < min <= max: " + min + ", " + max);
        }
    }

    /** @param options the shared options @return a backoff from their reconnect delays */
    public static ReconnectBackoff of(BackplaneOptions options) {
        return new ReconnectBackoff(options.reconnectDelayMin(), options.reconnectDelayMax());
    }

    /** @param attempt how many attempts failed in a row, from 0 @return how long to wait before the next */
    public long delayMillis(int attempt) {
        long cap = max.toMillis();
        long exp = min.toMillis() << Math.min(Math.max(attempt, 0), 20);
        long d = Math.min(cap, exp <= 0 ? cap : exp);
        return d / 2 + ThreadLocalRandom.current().nextLong(d / 2 + 1);
    }

    /** @return the delay after one more failed attempt (counted) */
    public long nextDelayMillis() {
        return delayMillis(failures++);
    }

    /** @return how many attempts failed in a row */
    public int failures() {
        return failures;
    }

    /** Forgets the failures: the connection is established. */
    public void reset() {
        failures = 0;
    }

    /**
     * Sleeps {@link #nextDelayMillis()} on the calling thread.
     *
     * @return false when interrupted (the caller should stop)
     */
    public boolean pause() {
        try {
            Thread.sleep(nextDelayMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
