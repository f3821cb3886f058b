package dev.switchboard.backplane.redis.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Proves that a backplane is subscribed and able to publish, the only meaning of "up" that holds on every
 * topology: it publishes a probe to its broadcast channel and to its own node channel and notes when its
 * own probes come back. Connection events alone would not do: on Redis Cluster a subscription lives on
 * another connection than the publishes, and a shard that moved silently drops a subscription.
 *
 * <p>A probe is {@code "\0sb-probe\0" + token + ':' + kind + ':' + sendNanos}. Every backplane drops every
 * message that starts with that marker (its own and other nodes'), so such bytes are reserved; anything
 * else on the channels reaches the listener. Thread-safe.
 */
public final class Probes {
    private static final byte[] MARKER = "\0sb-probe\0".getBytes(StandardCharsets.US_ASCII);
    /** The broadcast channel's probe. */
    public static final int ALL = 0;
    /** The node channel's probe. */
    public static final int NODE = 1;

    private final String token = UUID.randomUUID().toString().replace("-", "");
    private volatile long lostAt = System.nanoTime();
    // Initialised before lostAt, so that nothing counts as confirmed until a probe comes back.
    private final AtomicLong[] confirmedSentAt = {new AtomicLong(lostAt - 1), new AtomicLong(lostAt - 1)};
    private final AtomicLong[] confirmed = {new AtomicLong(lostAt - 1), new AtomicLong(lostAt - 1)};

    /** @param kind {@link #ALL} or {@link #NODE} @return a new probe message, stamped now */
    public byte[] probe(int kind) {
        return (new String(MARKER, StandardCharsets.US_ASCII) + token + ':' + kind + ':' + System.nanoTime())
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** @param message a received message @return true when it is a probe (of any node) */
    public static boolean isProbe(byte[] message) {
        return message.length >= MARKER.length
                && Arrays.equals(message, 0, MARKER.length, MARKER, 0, MARKER.length);
    }

    /** @param message a received probe; this node's own ones are noted, others ignored */
    public void received(byte[] message) {
        String s = new String(message, MARKER.length, message.length - MARKER.length, StandardCharsets.US_ASCII);
        if (!s.startsWith(token + ':') || s.length() < token.length() + 4) {
            return;
        }
        int kind = s.charAt(token.length() + 1) - '0';
        if (kind != ALL && kind != NODE) {
            return;
        }
        long sentAt;
        try {
            sentAt = Long.parseLong(s.substring(token.length() + 3));
        } catch (NumberFormatException e) {
            return;
        }
        confirmedSentAt[kind].accumulateAndGet(sentAt, (a, b) -> b - a > 0 ? b : a);
        confirmed[kind].set(System.nanoTime());
    }

    /** Forgets every confirmation: a connection dropped, so a later probe must prove the subscription again. */
    public void lost() {
        lostAt = System.nanoTime();
    }

    /**
     * @param staleNanos how old the newest confirmed probe may be
     * @return true when probes on both channels, sent after the last loss, came back within {@code staleNanos}
     */
    public boolean confirmed(long staleNanos) {
        long now = System.nanoTime();
        for (int k = ALL; k <= NODE; k++) {
            long sent = confirmedSentAt[k].get();
            if (sent - lostAt <= 0 || now - sent > staleNanos) {
                return false;
            }
        }
        return true;
    }

    /** @return nanoseconds since the last probe came back (or the last loss) on the more silent channel */
    public long silentNanos() {
        long now = System.nanoTime();
        long worst = 0;
        for (int k = ALL; k <= NODE; k++) {
            long c = confirmed[k].get();
            long last = c - lostAt > 0 ? c : lostAt;
            worst = Math.max(worst, now - last);
        }
        return worst;
    }
}
