package dev.switchboard.bench.chaos;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one subscriber received on one topic, checked as it arrives: for a durable topic the position
 * (epoch, offset) that the clients track and resume from, and the rules of the protocol — after a reply
 * the next event is the next offset, a {@code recovered:true} continues exactly where the subscriber
 * stood, a {@code recovered:false} has a reason; for a plain topic the per-connection duplicates and the
 * publish order of each publisher through each node. Guarded by the checker's lock.
 */
final class StreamCheck {
    private static final int EVIDENCE = 16;
    final String subscriber;
    final TopicKind topic;
    private final Deque<String> recent = new ArrayDeque<>();
    // durable
    String epoch;           // the epoch of the last reply; the label the client keeps
    boolean epochStale;     // offsets restarted live (history lost): epoch no longer names them
    long position = -1;     // the offset the client would resume from; -1 unknown
    private long segmentStart;
    private long segmentStartMillis;
    private boolean lastValueGrace;
    private boolean resync;
    boolean subscribed;
    boolean durableSeen;    // a reply named an epoch: the client keeps its position through a store outage
    final List<Early> early = new ArrayList<>();
    // plain: per publisher the seqs received, and per publisher@node the last seq of this connection
    final Map<String, BitSet> received = new HashMap<>();
    private final Map<String, Long> lastOfConnection = new HashMap<>();
    private final Map<String, BitSet> ofConnection = new HashMap<>();

    StreamCheck(String subscriber, TopicKind topic) {
        this.subscriber = subscriber;
        this.topic = topic;
    }

    void remember(String record) {
        if (recent.size() == EVIDENCE) {
            recent.removeFirst();
        }
        recent.addLast(record);
    }

    List<String> evidence() {
        return new ArrayList<>(recent);
    }

    /** A reply starts a segment: after it the events follow from {@code position}. */
    void startSegment(String newEpoch, long newPosition, long now, boolean grace) {
        resync = false;
        epoch = newEpoch;
        epochStale = false;
        position = newPosition;
        segmentStart = newPosition + 1;
        segmentStartMillis = now;
        lastValueGrace = grace;
        subscribed = true;
        lastOfConnection.clear();
        ofConnection.clear();
    }

    /**
     * A resume met the history store down: the client keeps its epoch and position, and the next live
     * event, whatever its offset, continues the stream (its epoch is unknown: not compared with others).
     */
    void resync(long now) {
        // The segment's start stays: a history loss before the outage still explains what follows it.
        resync = true;
        epochStale = true;
        lastValueGrace = false;
        lastOfConnection.clear();
        ofConnection.clear();
    }

    long segmentStartMillis() {
        return segmentStartMillis;
    }

    /** @return the outcome of a durable event at {@code offset}; advances the position when it is new */
    Outcome durableEvent(long offset, boolean historyLostSinceSegment) {
        boolean grace = lastValueGrace;
        lastValueGrace = false;
        if (position < 0 || resync) {
            resync = false;
            position = offset;
            segmentStart = offset;
            return Outcome.OK;
        }
        if (offset == position + 1) {
            position = offset;
            return Outcome.OK;
        }
        if (grace && offset == position) {
            return Outcome.OK; // a last-value topic's latest message, right after the reply
        }
        if (offset > position + 1) {
            long missing = offset - position - 1;
            position = offset;
            // A node fills a gap from the history, which holds the last `retention` messages: a longer gap
            // (a last-value topic's intermediate values, say) cannot be filled, by design.
            String kind = historyLostSinceSegment ? "gap-after-history-loss"
                    : missing >= topic.retention() ? "gap-beyond-window" : "gap";
            return new Outcome(kind, missing);
        }
        if (historyLostSinceSegment && offset < position) {
            epochStale = true;     // the store started over: offsets of a new epoch, as the client follows them
            position = offset;
            segmentStart = offset;
            return new Outcome("epoch-restart", 0);
        }
        return new Outcome(offset >= segmentStart ? "duplicate" : "order", 0);
    }

    /** @return the outcome of a plain event */
    Outcome plainEvent(String publisher, String node, long seq) {
        BitSet conn = ofConnection.computeIfAbsent(publisher, p -> new BitSet());
        received.computeIfAbsent(publisher, p -> new BitSet()).set((int) seq);
        if (conn.get((int) seq)) {
            return new Outcome("duplicate", 0);
        }
        conn.set((int) seq);
        String key = publisher + "@" + node;
        // The highest so far, not the last: a late message must not hide a later inversion.
        Long last = lastOfConnection.merge(key, seq, Math::max);
        if (last != seq) {
            return new Outcome("order", 0);
        }
        return Outcome.OK;
    }

    /** An event logged before the subscriber's first reply was. */
    record Early(Long offset, String publisher, long seq, String node) { }

    /**
     * What an event did to the stream.
     *
     * @param problem null when fine, else the kind of finding
     * @param missing for a gap, how many offsets were skipped
     */
    record Outcome(String problem, long missing) {
        static final Outcome OK = new Outcome(null, 0);
    }
}
