package dev.switchboard.internal;

import dev.switchboard.SendResult;
import dev.switchboard.spi.EncodedFrame;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * One connection's place in each durable topic it subscribed to: the last offset written to it (so it
 * never gets a message twice), and while a subscription is recovering, the live messages that arrive
 * meanwhile (so they follow the recovered ones, in order). Created only for connections that subscribe
 * to a durable topic. Thread-safe: every method locks this object, so a recovery's frames and the live
 * ones never interleave.
 */
final class DurableCursors {
    private final Map<String, Cursor> cursors = new HashMap<>();
    private final Function<EncodedFrame, SendResult> out;

    /** @param out writes a frame to the connection's outbound queue */
    DurableCursors(Function<EncodedFrame, SendResult> out) {
        this.out = out;
    }

    private static final class Cursor {
        String epoch;
        long offset;
        List<Buffered> buffer; // non-null while recovering
    }

    private record Buffered(String epoch, long offset, EncodedFrame frame) { }

    /** Starts buffering a topic's live messages until {@link #finishRecovery}. */
    synchronized void beginRecovery(String topic) {
        Cursor c = cursors.computeIfAbsent(topic, t -> new Cursor());
        c.buffer = new ArrayList<>();
    }

    /**
     * Writes a subscription's reply and recovered frames, then the live messages buffered meanwhile that
     * come after {@code offset}, and from then on writes live messages directly, skipping any at or
     * before the last one written.
     *
     * @param topic the topic
     * @param epoch the epoch the subscriber is now at, or null when unknown (history unavailable)
     * @param offset the offset the subscriber is now at (the latest of the history it was given)
     * @param frames the reply, then the recovered messages, in order
     */
    synchronized void finishRecovery(String topic, String epoch, long offset, List<EncodedFrame> frames) {
        Cursor c = cursors.computeIfAbsent(topic, t -> new Cursor());
        c.epoch = epoch;
        c.offset = offset;
        for (EncodedFrame f : frames) {
            out.apply(f);
        }
        List<Buffered> buffered = c.buffer == null ? List.of() : c.buffer;
        c.buffer = null;
        buffered.sort(Comparator.comparingLong(Buffered::offset));
        for (Buffered b : buffered) {
            if (epoch != null && !epoch.equals(b.epoch())) {
                continue; // of the epoch the history no longer has: the subscriber was told the current one
            }
            offerUnlocked(c, b.epoch(), b.offset(), b.frame());
        }
    }

    /**
     * Writes a durable topic's live message, or buffers it while the subscription recovers, or drops
     * it when the connection already has it.
     *
     * @return the outcome ({@code QUEUED} also when buffered; {@code DROPPED} for a duplicate)
     */
    synchronized SendResult offer(String topic, String epoch, long offset, EncodedFrame frame) {
        Cursor c = cursors.get(topic);
        if (c == null) {
            return out.apply(frame);
        }
        if (c.buffer != null) {
            c.buffer.add(new Buffered(epoch, offset, frame));
            return SendResult.QUEUED;
        }
        return offerUnlocked(c, epoch, offset, frame);
    }

    private SendResult offerUnlocked(Cursor c, String epoch, long offset, EncodedFrame frame) {
        if (c.epoch != null && c.epoch.equals(epoch) && offset <= c.offset) {
            return SendResult.DROPPED;
        }
        c.epoch = Objects.requireNonNull(epoch, "epoch");
        c.offset = offset;
        return out.apply(frame);
    }

    /** Forgets a topic the connection left. */
    synchronized void remove(String topic) {
        cursors.remove(topic);
    }
}
