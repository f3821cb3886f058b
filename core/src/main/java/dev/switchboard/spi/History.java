package dev.switchboard.spi;

import dev.switchboard.Retention;
import dev.switchboard.StreamPosition;
import java.util.concurrent.CompletableFuture;

/**
 * Storage for durable topics: one append-only log per topic, shared by every node of a cluster. The
 * core appends each message routed to a durable topic once (on the node that sends it), stamps the
 * event frames with the offset it got, and reads the log back when a client subscribes with
 * {@code since} or when a node notices a gap in what the backplane delivered.
 *
 * <p>The contract every implementation keeps (checked by {@code BackplaneCompatibilityKit}):
 * <ul>
 *   <li>Offsets are per topic, start at 1 and grow by exactly one per append within an epoch, also
 *       when several nodes append at once: no offset is given twice, none is skipped.</li>
 *   <li>The epoch is created on first use (by {@link #append} or {@link #read}) and stays the same
 *       until the log loses entries it had not yet trimmed by retention (e.g. the store restarted
 *       empty): then a new epoch starts at offset 1.</li>
 *   <li>After an append, at most {@link Retention#maxMessages()} entries are kept; entries older than
 *       {@link Retention#maxAge()} may be dropped at any time. The core drops entries older than the
 *       topic's age limit itself (by {@link HistoryEntry#timestampMillis()}), so a store may trim by
 *       age lazily.</li>
 *   <li>{@link #read} returns retained entries only, in offset order, contiguous.</li>
 * </ul>
 *
 * <p>Threading: no method blocks the caller; results complete on any thread. Failures complete the
 * future exceptionally, preferably with a {@link dev.switchboard.BackplaneException}.
 */
public interface History {

    /**
     * Appends a message to a topic's log.
     *
     * @param topic the durable topic
     * @param message the message, stored as given (the core's encoded event frame without offset)
     * @param retention how much of the log to keep after this append
     * @return the position of the new entry: the topic's epoch and the entry's offset
     */
    CompletableFuture<StreamPosition> append(String topic, byte[] message, Retention retention);

    /**
     * Reads a topic's log after an offset.
     *
     * @param topic the durable topic
     * @param afterOffset return entries with a greater offset ({@code Long.MAX_VALUE}: none, only the
     *     latest position)
     * @param limit at most this many entries (the lowest offsets first); 0 returns none
     * @return the topic's current epoch and latest offset, and the retained entries after
     *     {@code afterOffset}
     */
    CompletableFuture<HistoryRead> read(String topic, long afterOffset, int limit);

    /**
     * @param topic the durable topic
     * @return its current epoch and latest offset (0 when it has none yet)
     */
    default CompletableFuture<StreamPosition> latest(String topic) {
        return read(topic, Long.MAX_VALUE, 0).thenApply(HistoryRead::latest);
    }
}
