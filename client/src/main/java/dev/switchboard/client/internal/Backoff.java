package dev.switchboard.client.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * Exponential backoff with full jitter: attempt {@code n} (0-based) waits a delay drawn uniformly from
 * {@code [0, min(max, initial × multiplier^n)]}. Full jitter spreads the reconnects of many clients that
 * lost the same server, instead of having them all arrive in waves. Immutable and thread-safe.
 */
public final class Backoff {
    private final long initialNanos;
    private final long maxNanos;
    private final double multiplier;

    /**
     * @param initial the cap of attempt 0, positive
     * @param max the largest cap, at least {@code initial}
     * @param multiplier growth per attempt, at least 1
     */
    public Backoff(Duration initial, Duration max, double multiplier) {
        this.initialNanos = Objects.requireNonNull(initial, "initial").toNanos();
        this.maxNanos = Objects.requireNonNull(max, "max").toNanos();
        if (initialNanos <= 0 || maxNanos < initialNanos || !(multiplier >= 1.0)) {
            throw new IllegalArgumentException("need 0 < initial <= max and multiplier >= 1");
        }
        this.multiplier = multiplier;
    }

    /**
     * @param attempt the 0-based attempt number; negative counts as 0
     * @return the upper bound of that attempt's delay
     */
    public Duration cap(int attempt) {
        double cap = initialNanos * Math.pow(multiplier, Math.max(0, attempt));
        // Math.pow overflows to infinity for large attempts; the comparison then picks max
        return Duration.ofNanos(cap >= maxNanos ? maxNanos : (long) cap);
    }

    /**
     * @param attempt the 0-based attempt number
     * @param random a uniform random number in {@code [0, 1)}
     * @return the delay before that attempt, in {@code [0, cap(attempt)]}
     */
    public Duration delay(int attempt, double random) {
        if (!(random >= 0.0 && random < 1.0)) {
            throw new IllegalArgumentException("random must be in [0, 1): " + random);
        }
        return Duration.ofNanos((long) (cap(attempt).toNanos() * random));
    }
}
