package dev.switchboard.backplane.mongo.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Exponential backoff between reconnect attempts, with jitter so that the nodes of a cluster do not
 * all retry at the same instant after an outage. Not thread-safe: one per retrying thread.
 */
public final class Backoff {
    private final long minNanos;
    private final long maxNanos;
    private long nextNanos;

    /** @param min the first pause @param max the longest pause */
    public Backoff(Duration min, Duration max) {
        this.minNanos = min.toNanos();
        this.maxNanos = max.toNanos();
        this.nextNanos = minNanos;
    }

    /** Starts again from the shortest pause, after a success. */
    public void reset() {
        nextNanos = minNanos;
    }

    /**
     * Sleeps for the current pause (between half and all of it) and doubles the next one.
     *
     * @return false if the thread was interrupted (it stays interrupted), true otherwise
     */
    public boolean pause() {
        long pause = nextNanos / 2 + ThreadLocalRandom.current().nextLong(nextNanos / 2 + 1);
        nextNanos = Math.min(maxNanos, nextNanos * 2);
        try {
            TimeUnit.NANOSECONDS.sleep(pause);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
