package dev.switchboard;

import java.time.Duration;
import java.util.Objects;

/**
 * How much history a durable topic keeps: at most {@code maxMessages} messages and, optionally, none
 * older than {@code maxAge}. A client that subscribes with {@code since} is recovered only while the
 * history still reaches back to its offset.
 *
 * <pre>{@code
 * board.durableTopic("prices", Retention.lastValue());                                  // last value
 * board.durableTopic("orders:*", Retention.lastMessages(1000).maxAge(Duration.ofHours(1)));
 * }</pre>
 *
 * @param maxMessages how many messages are kept, at least 1
 * @param maxAge how long a message is kept, or {@code null} for no age limit
 */
public record Retention(int maxMessages, Duration maxAge) {

    /** Validates. */
    public Retention {
        if (maxMessages < 1) {
            throw new IllegalArgumentException("maxMessages must be at least 1: " + maxMessages);
        }
        if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
            throw new IllegalArgumentException("maxAge must be positive: " + maxAge);
        }
    }

    /** @param n how many messages to keep @return a retention by count, with no age limit */
    public static Retention lastMessages(int n) {
        return new Retention(n, null);
    }

    /**
     * A "last value" topic: only the latest message is kept, and a client that subscribes without
     * {@code since} receives it at once.
     *
     * @return a retention of one message
     */
    public static Retention lastValue() {
        return new Retention(1, null);
    }

    /** @param age how long messages are kept @return a copy with that age limit */
    public Retention maxAge(Duration age) {
        return new Retention(maxMessages, Objects.requireNonNull(age, "age"));
    }

    /** @return true for a last-value topic (one message kept) */
    public boolean isLastValue() {
        return maxMessages == 1;
    }

    /** @return the age limit in milliseconds, or 0 for none */
    public long maxAgeMillis() {
        return maxAge == null ? 0 : maxAge.toMillis();
    }
}
