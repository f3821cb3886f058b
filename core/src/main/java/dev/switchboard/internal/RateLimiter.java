package dev.switchboard.internal;

/**
 * A token bucket: {@code perSecond} tokens a second, holding at most twice that, so short bursts pass
 * and sustained floods do not. Not thread-safe: one per connection, used from its inbound path, where
 * the transport guarantees calls do not overlap.
 */
final class RateLimiter {
    private final double perMilli;
    private final double capacity;
    private double tokens;
    private long lastMillis;

    RateLimiter(int perSecond, long nowMillis) {
        this.perMilli = perSecond / 1000.0;
        this.capacity = perSecond * 2.0;
        this.tokens = capacity;
        this.lastMillis = nowMillis;
    }

    /** @return true if one more frame may pass at {@code nowMillis} */
    boolean tryAcquire(long nowMillis) {
        long elapsed = Math.max(0, nowMillis - lastMillis);
        lastMillis = nowMillis;
        tokens = Math.min(capacity, tokens + elapsed * perMilli);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** @return true when the bucket would be full at {@code nowMillis} (nothing used recently) */
    boolean isFull(long nowMillis) {
        return tokens + Math.max(0, nowMillis - lastMillis) * perMilli >= capacity;
    }
}
