package dev.switchboard.backplane.postgres.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Jittered exponential backoff: attempt n waits a random time between half and all of
 * {@code min × 2^n}, capped at {@code max}. The jitter keeps a cluster's nodes from reconnecting in
 * lockstep after a server restart.
 *
 * @param min the base delay, positive
 * @param max the cap, at least {@code min}
 */
public record Backoff(Duration min, Duration max) {

    /** Validates. */
    public Backoff {
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("need 0 < min <= max: " + min + ", " + max);
        }
    }

    /** @param attempt how many attempts failed in a row, from 0 @return how long to wait before the next */
    public long delayMillis(int attempt) {
        long cap = max.toMillis();
        long exp = min.toMillis() << Math.min(attempt, 20);
        long d = Math.min(cap, exp <= 0 ? cap : exp);
        return d / 2 + ThreadLocalRandom.current().nextLong(d / 2 + 1);
    }
}
