package dev.switchboard.client.internal;

import dev.switchboard.StreamPosition;

/**
 * Where one subscription stands in a durable topic, and the duplicate filter for its events.
 *
 * <p>Two numbers are kept apart on purpose. The <em>offset</em> is the resume point: the latest offset of
 * the reply, then of every event; it is what a re-subscribe sends as {@code since}. The <em>floor</em> is
 * the highest offset delivered (or resumed from): an event at or below it is a duplicate and dropped. They
 * differ right after a subscribe without {@code since}: the reply names the latest offset L, and a "last
 * value" topic then sends its message L, which must be delivered, not taken for a duplicate of L.
 *
 * <p>Events carry no epoch; a reply with an epoch other than the cursor's starts the offsets over, and so
 * does an event whose offset went down (see {@link #admit}). Thread-safe.
 */
final class TopicCursor {
    private static final long NONE = -1;
    private String epoch;
    private long offset = NONE;
    private long floor = NONE;
    private boolean durable; // a reply with an epoch was seen: the server keeps this topic's history

    /**
     * Starts at a position the application gave; before the reply this is the subscription's position.
     *
     * @param since the explicit {@code since}
     */
    synchronized void startAt(StreamPosition since) {
        epoch = since.epoch();
        offset = since.offset();
        floor = since.offset();
    }

    /** @return the resume position, or null when the topic is not (known to be) durable */
    synchronized StreamPosition position() {
        return epoch == null || offset == NONE ? null : new StreamPosition(epoch, offset);
    }

    /**
     * Takes in a subscribe reply.
     *
     * @param since the {@code since} the subscribe carried, or null
     * @param replyEpoch the reply's epoch, null for a topic that is not durable or, answering a {@code since},
     *     when the server could not read the history (the position is then kept)
     * @param latest the reply's offset, or null
     * @param recoveredFlag the reply's {@code recovered}
     * @return true when the missed events were recovered: {@code since} was sent, the server says so and
     *     the epoch is the one asked for
     */
    synchronized boolean onReply(StreamPosition since, String replyEpoch, Long latest, boolean recoveredFlag) {
        if (replyEpoch == null) {
            if (since != null && epoch != null && durable) {
                // A durable topic whose history the server could not read this time: keep the position,
                // so that the next resume can still be recovered (this one was not).
                return false;
            }
            epoch = null;
            offset = NONE;
            floor = NONE;
            return false;
        }
        durable = true;
        if (!replyEpoch.equals(epoch)) {
            floor = NONE; // offsets of another epoch compare with nothing
        }
        epoch = replyEpoch;
        if (since != null && recoveredFlag && replyEpoch.equals(since.epoch())) {
            // the missed events follow the reply and advance the offset themselves
            offset = since.offset();
            floor = since.offset();
            return true;
        }
        offset = latest == null || latest < 0 ? 0 : latest;
        if (floor > offset) {
            floor = NONE; // the server is behind what was delivered: trust it rather than drop live events
        }
        return false;
    }

    /**
     * Decides on an event of the topic and, when it is new, advances the position.
     *
     * <p>The server sends a durable topic's events in offset order and never twice, so an offset
     * <em>below</em> the floor means the history started over in a new epoch (its store lost it): the
     * event is delivered and the cursor follows it, keeping the old epoch, so that the next resume is
     * answered {@code recovered:false} and the application refetches.
     *
     * @param eventOffset the event's offset, or null (not durable)
     * @return false for a duplicate: the offset last delivered, again
     */
    synchronized boolean admit(Long eventOffset) {
        if (eventOffset == null) {
            return true;
        }
        if (floor != NONE && eventOffset == floor) {
            return false;
        }
        floor = eventOffset;
        offset = eventOffset;
        return true;
    }
}
