package dev.switchboard.bench.chaos;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The soak's checker. Every subscriber's log goes through it, record by record, as it is written (the
 * Java subscribers call it, the JavaScript subscribers' output is parsed into it), with the publishers'
 * outcomes and the times the history was lost. {@link #finish} adds the checks that need the whole run
 * and returns the report. Thread-safe (one lock: the checker is far from the bottleneck).
 *
 * <p>What counts as a violation, and when {@code recovered:false} is justified, is documented in
 * docs/reliability.md.
 */
final class Checker {
    private final Map<String, TopicKind> topics = new LinkedHashMap<>();
    private final Map<String, TopicTally> tallies = new LinkedHashMap<>();
    private final Map<String, StreamCheck> streams = new HashMap<>();
    private final Map<String, String> contents = new HashMap<>(); // topic|epoch|offset -> publisher:seq
    private final Map<String, Long> maxOffset = new HashMap<>();   // topic|epoch -> highest offset seen
    private final Map<String, BitSet> acked = new HashMap<>();     // topic|publisher -> seqs
    private final Map<String, BitSet> seen = new HashMap<>();      // topic|publisher -> seqs delivered to anyone
    private final Map<String, Map<Long, Long>> ackTimes = new HashMap<>();
    private final List<Long> historyLost = new ArrayList<>();
    private final List<Violation> violations = new ArrayList<>();
    private final Map<String, long[]> publishes = new LinkedHashMap<>(); // outcome -> count
    private final LongSupplier clock;
    private final boolean holesPossible;
    private final List<Suspect> suspects = new ArrayList<>();
    private final List<LateSuspect> lateSuspects = new ArrayList<>();
    private Map<String, Long> settled;
    private long records;
    private int tailMissing;
    private final java.util.Set<String> holes = new java.util.TreeSet<>();

    /**
     * @param topics the soak's topics
     * @param clock milliseconds, for ordering records against faults (the soak's own clock)
     */
    Checker(List<TopicKind> topics, LongSupplier clock) {
        this(topics, clock, false);
    }

    /**
     * @param topics the soak's topics
     * @param clock milliseconds, for ordering records against faults (the soak's own clock)
     * @param holesPossible the backplane's history may skip an offset for good when the store fails between
     *     taking it and storing the message (a non-atomic append): a gap or a failed recovery over an offset
     *     that nobody ever received is then counted as such a hole instead of a violation
     */
    Checker(List<TopicKind> topics, LongSupplier clock, boolean holesPossible) {
        this.holesPossible = holesPossible;
        this.clock = clock;
        for (TopicKind t : topics) {
            this.topics.put(t.name(), t);
            tallies.put(t.name(), new TopicTally(t));
        }
    }

    /** The history of every durable topic was lost now (the store started empty). */
    synchronized void historyLost() {
        historyLost.add(clock.getAsLong());
    }

    /**
     * A publisher's outcome for one message.
     *
     * @param outcome {@code acked}, {@code failed} (an error reply: not appended) or {@code unknown}
     */
    synchronized void published(String topic, String publisher, long seq, String outcome) {
        publishes.computeIfAbsent(outcome, o -> new long[1])[0]++;
        if (outcome.equals("acked")) {
            acked.computeIfAbsent(topic + "|" + publisher, k -> new BitSet()).set((int) seq);
            ackTimes.computeIfAbsent(topic + "|" + publisher, k -> new HashMap<>()).put(seq, clock.getAsLong());
        }
    }

    /**
     * A subscribe reply.
     *
     * @param epoch null for a plain topic or when the history could not be read
     * @param offset null likewise
     * @param resubscribe true for the client's automatic re-subscription after a reconnect
     */
    synchronized void reply(String subscriber, String topic, String epoch, Long offset, boolean recovered,
                            boolean resubscribe) {
        reply(subscriber, topic, epoch, offset, recovered, resubscribe, "?");
    }

    /**
     * A subscribe reply, naming the node the subscriber is connected to (for the evidence only).
     *
     * @param node the node that answered
     */
    synchronized void reply(String subscriber, String topic, String epoch, Long offset, boolean recovered,
                            boolean resubscribe, String node) {
        records++;
        StreamCheck s = stream(subscriber, topic);
        TopicTally t = tallies.get(topic);
        s.remember("reply from " + node + " epoch=" + epoch + " offset=" + offset + " recovered=" + recovered
                + (resubscribe ? " (resubscribe, position " + s.epoch + "/" + s.position + ")" : ""));
        long now = clock.getAsLong();
        long newPosition = offset == null ? -1 : offset;
        if (!s.topic.durable()) {
            s.startSegment(null, -1, now, false);
            drainEarly(s);
            return;
        }
        boolean hadPosition = s.subscribed && s.epoch != null && s.position >= 0;
        if (recovered) {
            t.recovered++;
            if (!hadPosition || !s.epoch.equals(epoch) || offset == null || s.position > offset) {
                t.falseRecoveries++;
                violation("false-recovery", s, "recovered:true but the subscriber stood at " + s.epoch + "/"
                        + s.position + " and the reply says " + epoch + "/" + offset);
                s.startSegment(epoch, newPosition, now, false);
            } else {
                s.startSegment(epoch, s.position, now, false); // the missed events follow from here
            }
            drainEarly(s);
            return;
        }
        if (resubscribe || hadPosition) {
            String reason = reason(s, epoch, offset);
            t.notRecovered(reason);
            if (reason.startsWith("unjustified")) {
                if (s.epoch != null && epoch != null && epoch.equals(s.epoch) && offset != null && offset > s.position) {
                    // Decided at the end: a hole in the history (an offset nobody ever got) would explain it.
                    suspects.add(new Suspect("unjustified-not-recovered", s.subscriber, topic, epoch, s.position + 1,
                            offset, reason, s.evidence()));
                } else {
                    t.unjustifiedNotRecovered++;
                    violation("unjustified-not-recovered", s, reason);
                }
            }
        }
        if (epoch == null && hadPosition && s.durableSeen) {
            // The clients keep their position when a resume meets the store down; live events go on from
            // wherever the node stands, in an epoch the reply did not name.
            s.resync(now);
            drainEarly(s);
            return;
        }
        if (epoch != null) {
            s.durableSeen = true;
        }
        // Without a position the client sends no `since`, and a last-value topic's latest message follows.
        s.startSegment(epoch, newPosition, now, s.topic.lastValue() && !hadPosition && epoch != null);
        drainEarly(s);
    }

    private void drainEarly(StreamCheck s) {
        List<StreamCheck.Early> early = new ArrayList<>(s.early);
        s.early.clear();
        for (StreamCheck.Early e : early) {
            check(s, s.topic.name(), e.offset(), e.publisher(), e.seq(), e.node());
        }
    }

    private String reason(StreamCheck s, String epoch, Long offset) {
        if (!s.subscribed || s.epoch == null || s.position < 0) {
            return "no position to resume from";
        }
        if (epoch == null || offset == null) {
            return "history store unavailable";
        }
        if (!epoch.equals(s.epoch)) {
            return lostSince(s.segmentStartMillis()) ? "epoch changed (history lost)"
                    : "unjustified: epoch changed but no history was lost";
        }
        if (s.position > offset) {
            return "unjustified: the history is behind the subscriber (" + s.position + " > " + offset + ")";
        }
        if (offset - s.position > s.topic.retention()) {
            return "outside the window";
        }
        if (offset - s.position == s.topic.retention()) {
            // The oldest missed message was the oldest the history kept: an append racing the read trims it.
            return "at the window's edge";
        }
        return "unjustified: " + (offset - s.position) + " missed, within the window of " + s.topic.retention();
    }

    /** An event of a topic, as the subscriber's listener got it. */
    synchronized void event(String subscriber, String topic, Long offset, String publisher, long seq, String node) {
        records++;
        StreamCheck s = stream(subscriber, topic);
        if (!s.subscribed) {
            // The subscriber's log may hold its first reply after the first events (it is recorded on
            // another thread): keep them until the reply they follow.
            s.early.add(new StreamCheck.Early(offset, publisher, seq, node));
            return;
        }
        check(s, topic, offset, publisher, seq, node);
    }

    private void check(StreamCheck s, String topic, Long offset, String publisher, long seq, String node) {
        TopicTally t = tallies.get(topic);
        t.delivered++;
        s.remember("event offset=" + offset + " " + publisher + ":" + seq + " via " + node);
        seen.computeIfAbsent(topic + "|" + publisher, k -> new BitSet()).set((int) seq);
        if (!s.topic.durable()) {
            StreamCheck.Outcome o = s.plainEvent(publisher, node, seq);
            if ("order".equals(o.problem())) {
                // Decided at the end: a node handles one connection's requests concurrently, so a publish whose
                // reply never came (the publisher sent the next one meanwhile) may be emitted after the next.
                lateSuspects.add(new LateSuspect(s.subscriber, topic, publisher, seq, publisher + ":" + seq + " via "
                        + node + " after a later message of " + publisher + " on one connection", s.evidence()));
            } else if (o.problem() != null) {
                count(t, o.problem(), 0);
                violation(o.problem(), s, publisher + ":" + seq + " via " + node + " twice on one connection");
            }
            return;
        }
        if (offset == null) {
            violation("order", s, "a durable topic's event without an offset");
            return;
        }
        StreamCheck.Outcome o = s.durableEvent(offset, lostSince(s.segmentStartMillis()));
        if (o.problem() != null) {
            switch (o.problem()) {
                case "epoch-restart" -> t.liveEpochRestarts++;
                case "gap-after-history-loss" -> t.notRecovered("live gap: history lost");
                case "gap-beyond-window" -> t.notRecovered("live gap: longer than the window");
                case "gap" -> {
                    if (s.epoch != null && !s.epochStale) {
                        suspects.add(new Suspect("gap", s.subscriber, topic, s.epoch, offset - o.missing(), offset - 1,
                                "offset " + offset + ", " + o.missing() + " missing (" + publisher + ":" + seq + ")",
                                s.evidence()));
                    } else {
                        count(t, o.problem(), o.missing());
                        violation(o.problem(), s, "offset " + offset + ", " + o.missing() + " missing (" + publisher
                                + ":" + seq + ")");
                    }
                }
                default -> {
                    count(t, o.problem(), o.missing());
                    violation(o.problem(), s, "offset " + offset + (o.missing() > 0 ? ", " + o.missing() + " missing"
                            : "") + " (" + publisher + ":" + seq + ")");
                }
            }
        }
        if (s.epoch != null && !s.epochStale) {
            String key = topic + "|" + s.epoch + "|" + offset;
            String content = publisher + ":" + seq;
            String before = contents.putIfAbsent(key, content);
            if (before != null && !before.equals(content)) {
                violation("divergent", s, "offset " + offset + " of epoch " + s.epoch + " is " + content
                        + " here and " + before + " elsewhere");
            }
            maxOffset.merge(topic + "|" + s.epoch, offset, Math::max);
        }
    }

    private void count(TopicTally t, String problem, long missing) {
        switch (problem) {
            case "duplicate" -> t.duplicates++;
            case "order" -> t.orderViolations++;
            case "gap" -> t.gapMessages += missing;
            default -> { }
        }
    }

    private boolean lostSince(long millis) {
        for (long l : historyLost) {
            if (l >= millis - 1000) {
                return true;
            }
        }
        return false;
    }

    private StreamCheck stream(String subscriber, String topic) {
        TopicKind kind = topics.get(topic);
        if (kind == null) {
            throw new IllegalArgumentException("not a soak topic: " + topic);
        }
        tallies.get(topic).subscribers.add(subscriber);
        return streams.computeIfAbsent(subscriber + "|" + topic, k -> new StreamCheck(subscriber, kind));
    }

    private void violation(String kind, StreamCheck s, String detail) {
        violations.add(new Violation(kind, s.subscriber, s.topic.name(), detail, s.evidence()));
    }

    /** @return how many records came in so far */
    synchronized long records() {
        return records;
    }

    /**
     * @param connected the subscribers connected now
     * @return how many of their durable subscriptions stand behind what others received in their epoch
     */
    synchronized int behind(java.util.Set<String> connected) {
        return behind(connected, maxOffset);
    }

    private int behind(java.util.Set<String> connected, Map<String, Long> reference) {
        int n = 0;
        for (StreamCheck s : streams.values()) {
            if (s.topic.durable() && s.epoch != null && !s.epochStale && connected.contains(s.subscriber)) {
                Long max = reference.get(s.topic.name() + "|" + s.epoch);
                if (max != null && s.position < max) {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * @return how many acknowledged durable messages no subscriber received yet (on a last-value topic, only
     *     its latest): at the end of a run they are on their way, or a node missed their envelope and reads
     *     them from the history at its next idle check
     */
    synchronized int unseenAcked() {
        int n = 0;
        for (Map.Entry<String, BitSet> e : acked.entrySet()) {
            TopicKind k = topics.get(e.getKey().substring(0, e.getKey().indexOf('|')));
            if (k == null || !k.durable()) {
                continue;
            }
            BitSet missing = (BitSet) e.getValue().clone();
            missing.andNot(seen.getOrDefault(e.getKey(), new BitSet()));
            Map<Long, Long> times = ackTimes.get(e.getKey());
            long last = lastAck(k);
            for (int seq = missing.nextSetBit(0); seq >= 0; seq = missing.nextSetBit(seq + 1)) {
                if (!k.lastValue() || times.get((long) seq) >= last) {
                    n++;
                }
            }
        }
        return n;
    }

    /** @return when the topic's last acknowledged message was acknowledged (0 for none) */
    private long lastAck(TopicKind k) {
        long last = 0;
        for (Map.Entry<String, Map<Long, Long>> e : ackTimes.entrySet()) {
            if (e.getKey().startsWith(k.name() + "|")) {
                for (long t : e.getValue().values()) {
                    last = Math.max(last, t);
                }
            }
        }
        return last;
    }

    /**
     * Remembers the highest offset anyone received in each topic and epoch: {@link #finish} requires every
     * connected subscriber to have reached these. Messages after them may still be on their way to a node
     * that missed their envelope: it fills that gap when the next message arrives (as documented).
     */
    synchronized void settle() {
        settled = new HashMap<>(maxOffset);
    }

    /**
     * The checks over the whole run, then the report.
     *
     * @param connectedAtEnd the subscribers that were connected and subscribed when the run ended: their
     *     durable subscriptions must have caught up with everything delivered to anyone
     * @return the report's data
     */
    synchronized Findings finish(java.util.Set<String> connectedAtEnd) {
        for (Suspect x : suspects) {
            TopicTally t = tallies.get(x.topic());
            boolean hole = false;
            for (long o = x.from(); o <= x.to() && !hole; o++) {
                hole = !contents.containsKey(x.topic() + "|" + x.epoch() + "|" + o);
            }
            if (hole && holesPossible) {
                t.notRecovered(x.kind().equals("gap") ? "live gap: a hole in the history" : "a hole in the history");
                holes.add(x.topic() + "|" + x.epoch());
            } else {
                if (x.kind().equals("gap")) {
                    t.gapMessages += x.to() - x.from() + 1;
                } else {
                    t.unjustifiedNotRecovered++;
                }
                violations.add(new Violation(x.kind(), x.subscriber(), x.topic(), x.detail()
                        + (hole ? "; nobody ever received offset(s) in " + x.from() + ".." + x.to() : ""), x.evidence()));
            }
        }
        for (LateSuspect x : lateSuspects) {
            TopicTally t = tallies.get(x.topic());
            BitSet ackedSeqs = acked.get(x.topic() + "|" + x.publisher());
            if (ackedSeqs != null && ackedSeqs.get((int) x.seq())) {
                // Acknowledged before the publisher sent the next one: the node emitted it first.
                t.orderViolations++;
                violations.add(new Violation("order", x.subscriber(), x.topic(), x.detail(), x.evidence()));
            } else {
                t.notRecovered("late: its publish got no reply before the next was sent");
            }
        }
        Map<String, Long> reference = settled != null ? settled : maxOffset;
        for (StreamCheck s : streams.values()) {
            if (!s.topic.durable() || s.epoch == null || s.epochStale || !connectedAtEnd.contains(s.subscriber)) {
                continue;
            }
            Long max = reference.get(s.topic.name() + "|" + s.epoch);
            if (max != null && s.position < max) {
                violation("stale-at-end", s, "stands at " + s.position + " of epoch " + s.epoch + "; others got up to "
                        + max + " before the last round of publishes");
            }
        }
        tailMissing = behind(connectedAtEnd, maxOffset) - behind(connectedAtEnd, reference);
        for (TopicKind k : topics.values()) {
            for (Map.Entry<String, BitSet> e : acked.entrySet()) {
                if (!e.getKey().startsWith(k.name() + "|")) {
                    continue;
                }
                String publisher = e.getKey().substring(k.name().length() + 1);
                BitSet got = seen.getOrDefault(e.getKey(), new BitSet());
                if (k.durable()) {
                    lostAcked(k, publisher, e.getValue(), got);
                } else {
                    plainLoss(k, publisher, e.getValue());
                }
            }
        }
        return new Findings(new ArrayList<>(tallies.values()), List.copyOf(violations), publishes.entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, x -> x.getValue()[0])), records,
                tailMissing, holes.size());
    }

    private void lostAcked(TopicKind k, String publisher, BitSet ackedSeqs, BitSet got) {
        BitSet missing = (BitSet) ackedSeqs.clone();
        missing.andNot(got);
        Map<Long, Long> times = ackTimes.get(k.name() + "|" + publisher);
        long lastAck = lastAck(k);
        for (int seq = missing.nextSetBit(0); seq >= 0; seq = missing.nextSetBit(seq + 1)) {
            long acked = times.get((long) seq);
            if (k.lastValue() && acked < lastAck) {
                // A last-value history keeps one message: one that reached every node late, after the next,
                // was superseded there before it could be delivered. By design.
                tallies.get(k.name()).notRecovered("last value superseded before anyone received it");
            } else if (!lostSince(acked)) {
                violations.add(new Violation("lost-acked", "-", k.name(), publisher + ":" + seq
                        + " was acknowledged at t+" + acked + " ms (in the history) but no subscriber "
                        + "ever received it; history lost at " + historyLost, List.of()));
            } else {
                tallies.get(k.name()).notRecovered("acked, then history lost before anyone received it");
            }
        }
    }

    private void plainLoss(TopicKind k, String publisher, BitSet ackedSeqs) {
        TopicTally t = tallies.get(k.name());
        for (StreamCheck s : streams.values()) {
            BitSet got = s.topic.equals(k) ? s.received.get(publisher) : null;
            if (got == null || got.isEmpty()) {
                continue;
            }
            // Within what this subscriber saw of this publisher, the acknowledged messages it missed.
            BitSet window = ackedSeqs.get(got.nextSetBit(0), got.length());
            BitSet gotWindow = got.get(got.nextSetBit(0), got.length());
            t.expectedPlain += window.cardinality();
            window.andNot(gotWindow);
            t.lostPlain += window.cardinality();
        }
    }

    /**
     * Everything the checker found.
     *
     * @param topics per topic counters
     * @param violations every violation, in the order found
     * @param publishes publish outcomes and their counts
     * @param records subscriber records read
     * @param tailMissing connected subscriptions still missing a message of the very last round at the end
     *     (their node missed its envelope and no later message came to reveal the gap)
     * @param holes topic epochs whose history skipped an offset nobody ever received (non-atomic appends)
     */
    record Findings(List<TopicTally> topics, List<Violation> violations, Map<String, Long> publishes, long records,
                    int tailMissing, int holes) {
    }

    /**
     * A plain message that reached a connection after a later one of its publisher through the same node: a
     * violation unless its publish went unanswered (then the next one was sent while the node may still have
     * been handling it). Decided at the end, when every publish's outcome is known.
     */
    private record LateSuspect(String subscriber, String topic, String publisher, long seq, String detail,
                               List<String> evidence) {
    }

    /** A gap or a failed recovery that an offset nobody ever received would explain; decided at the end. */
    private record Suspect(String kind, String subscriber, String topic, String epoch, long from, long to,
                           String detail, List<String> evidence) {
    }
}
