package dev.switchboard.internal;

import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.spi.EncodedFrame;
import dev.switchboard.spi.History;
import dev.switchboard.spi.HistoryEntry;
import dev.switchboard.StreamPosition;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One durable topic's messages on this node, put in offset order. Messages arrive from the backplane (other
 * nodes) and from this node's own publishes, in any order; a message whose predecessor is missing waits
 * {@code gapDelayMillis}, then the gap is read from the history. A stream that heard nothing for the check
 * interval reads the history's latest position ({@link #checkIfIdle}): offsets it never delivered are a gap
 * at the tail, read the same way.
 *
 * <p>Which epoch is current is the history's to say. A message of an epoch the stream does not know yet (any
 * message before the stream has a position, and afterwards one of an epoch that is neither its own nor one it
 * left) is held until a read of the history issued after it arrived answers: the epoch is followed when the
 * history is in it, and retired otherwise. A late message of a lost epoch looks just like the first one of a
 * new epoch: a node whose stream started in the new epoch, taking a late message of the lost one for news,
 * skipped the offsets up to it and wrote it to subscribers (found by the chaos soak, Redis wiped under load).
 *
 * <p>Thread-safe: every state change locks the stream.
 */
final class TopicStream {
    private static final Logger log = LoggerFactory.getLogger(TopicStream.class);

    private final String topic;
    private final History history;
    private final DefaultRegistry registry;
    private final FrameCodec codec;
    private final ScheduledExecutorService timer;
    private final long gapDelayMillis;
    private final long checkNanos;
    private final TreeMap<Long, EncodedFrame> pending = new TreeMap<>();
    private final Set<String> retiredEpochs = new HashSet<>();
    /** Messages of epochs the history has not confirmed yet, by epoch. */
    private final Map<String, Unconfirmed> unconfirmed = new HashMap<>();
    /** Unconfirmed epochs seen so far: a read issued when this was n judges the epochs numbered up to n. */
    private long epochsSeen;
    private boolean confirming;
    private String epoch; // null until initialised
    private long delivered;
    private boolean gapScheduled;
    private boolean cancelled;
    /** The latest offset a check found in the history and this node did not deliver yet: a gap at the tail. */
    private long head;
    private long lastHeardNanos = System.nanoTime();
    private boolean checking;
    /** Local connections about to join; guarded by the lock of {@link DurableTopics}' stream map. */
    int joining;

    /**
     * @param checkNanos how long the stream may hear nothing before {@link #checkIfIdle} reads the history;
     *     0 for never
     */
    TopicStream(String topic, History history, DefaultRegistry registry, FrameCodec codec,
                ScheduledExecutorService timer, long gapDelayMillis, long checkNanos) {
        this.topic = topic;
        this.history = history;
        this.registry = registry;
        this.codec = codec;
        this.timer = timer;
        this.gapDelayMillis = gapDelayMillis;
        this.checkNanos = checkNanos;
    }

    String topic() {
        return topic;
    }

    void initialise() {
        long issued = epochsSeen();
        history.latest(topic).whenComplete((latest, failure) -> {
            if (failure != null) {
                log.warn("Cannot read the position of durable topic \"{}\" ({}); retrying", topic,
                        failure.toString());
                retry(this::initialise);
                return;
            }
            startAt(latest, issued);
        });
    }

    private synchronized long epochsSeen() {
        return epochsSeen;
    }

    /**
     * Sets where the stream starts when it has no position yet (from any read of the history made
     * after the stream was created): later offsets are new, earlier ones are history. A read that
     * finds a new epoch moves the stream to it.
     */
    synchronized void startAt(StreamPosition latest) {
        startAt(latest, 0);
    }

    /**
     * @param issued {@link #epochsSeen} when the read was issued: unconfirmed epochs seen before it that are
     *     not the read's are lost ones, and retired; 0 when unknown
     */
    private synchronized void startAt(StreamPosition latest, long issued) {
        if (cancelled || retiredEpochs.contains(latest.epoch())) {
            return;
        }
        if (epoch == null) {
            epoch = latest.epoch();
            delivered = latest.offset();
        } else if (!epoch.equals(latest.epoch())) {
            // The history moved to a new epoch: follow it now, so that no message of the lost epoch goes
            // out after a subscriber was told the new one. A new epoch's offsets start at 1: the messages
            // before the first one that arrived are new too and may still arrive (or be read from the
            // history), so they must not count as delivered.
            log.info("Durable topic \"{}\" moved from epoch {} to {}: its history was lost", topic, epoch,
                    latest.epoch());
            retiredEpochs.add(epoch);
            epoch = latest.epoch();
            delivered = 0;
            head = 0;
            pending.clear();
        }
        Unconfirmed mine = unconfirmed.remove(epoch);
        if (mine != null) {
            pending.putAll(mine.frames().tailMap(delivered, false));
        }
        unconfirmed.entrySet().removeIf(u -> {
            if (u.getValue().seen() > issued) {
                return false; // arrived after the read was issued: the next read judges it
            }
            log.info("Durable topic \"{}\": dropping {} late message(s) of lost epoch {} (the history is in {})",
                    topic, u.getValue().frames().size(), u.getKey(), epoch);
            retiredEpochs.add(u.getKey());
            return true;
        });
        if (!unconfirmed.isEmpty()) {
            confirmEpoch();
        }
        drain();
    }

    /** Asks the history which epoch is current, for the unconfirmed messages; one read at a time. */
    private void confirmEpoch() {
        if (confirming || cancelled || epoch == null) {
            return; // before the stream has a position, its first read decides
        }
        confirming = true;
        long issued = epochsSeen;
        history.latest(topic).whenComplete((latest, failure) -> {
            synchronized (this) {
                confirming = false;
                if (failure != null) {
                    retry(this::confirmAgain);
                } else {
                    startAt(latest, issued);
                }
            }
        });
    }

    private synchronized void confirmAgain() {
        if (!unconfirmed.isEmpty()) {
            confirmEpoch();
        }
    }

    /**
     * @param read the position a read of the history found
     * @return true when this stream is past it: it already delivered, or gave up, an offset after it in its
     *     epoch (members joining now never get those from the stream), or it left the read's epoch
     */
    synchronized boolean isAhead(StreamPosition read) {
        if (epoch == null) {
            return false;
        }
        if (retiredEpochs.contains(read.epoch())) {
            return true;
        }
        return epoch.equals(read.epoch()) && delivered > read.offset();
    }

    synchronized void offer(String messageEpoch, long offset, EncodedFrame frame) {
        if (cancelled || retiredEpochs.contains(messageEpoch)) {
            return;
        }
        lastHeardNanos = System.nanoTime();
        if (epoch == null || !epoch.equals(messageEpoch)) {
            // Not initialised yet, or another epoch: held until the history says which epoch is current.
            unconfirmed.computeIfAbsent(messageEpoch, e -> new Unconfirmed(++epochsSeen, new TreeMap<>()))
                    .frames().put(offset, frame);
            confirmEpoch();
            return;
        }
        if (offset <= delivered) {
            return;
        }
        pending.put(offset, frame);
        drain();
    }

    /** Writes every consecutive pending message; schedules a gap fill when one is missing. */
    private void drain() {
        while (!pending.isEmpty()) {
            long first = pending.firstKey();
            if (first <= delivered) {
                pending.pollFirstEntry();
            } else if (first == delivered + 1) {
                write(first, pending.pollFirstEntry().getValue());
            } else {
                scheduleGapFill();
                return;
            }
        }
        if (head > delivered) {
            scheduleGapFill();
        }
    }

    /**
     * When nothing arrived for the check interval, reads the history's latest position: a new epoch is
     * followed ({@link #startAt}), and offsets this node never delivered become a gap at the tail, read
     * like any other gap.
     */
    void checkIfIdle(long now) {
        long issued;
        synchronized (this) {
            if (checkNanos == 0 || cancelled || checking || epoch == null || gapScheduled
                    || now - lastHeardNanos < checkNanos) {
                return;
            }
            checking = true;
            lastHeardNanos = now; // the next check of a silent stream comes one interval later
            issued = epochsSeen;
        }
        history.latest(topic).whenComplete((latest, failure) -> {
            synchronized (this) {
                checking = false;
                if (failure != null || cancelled) {
                    return; // the store is down: the next check asks again
                }
                startAt(latest, issued);
                if (latest.epoch().equals(epoch) && latest.offset() > delivered) {
                    head = Math.max(head, latest.offset());
                    drain();
                }
            }
        });
    }

    private void write(long offset, EncodedFrame frame) {
        delivered = offset;
        for (DefaultConnection c : registry.topicMembers(topic)) {
            c.sendDurable(topic, epoch, offset, frame);
        }
    }

    private void scheduleGapFill() {
        if (gapScheduled || cancelled) {
            return;
        }
        gapScheduled = true;
        timer.schedule(this::fillGap, gapDelayMillis, TimeUnit.MILLISECONDS);
    }

    private void fillGap() {
        long from;
        int missing;
        String readEpoch;
        boolean tail;
        synchronized (this) {
            gapScheduled = false;
            tail = pending.isEmpty() && head > delivered;
            if (cancelled || !tail && (pending.isEmpty() || pending.firstKey() == delivered + 1)) {
                drain();
                return;
            }
            from = delivered;
            missing = (int) Math.min(Integer.MAX_VALUE, (tail ? head + 1 : pending.firstKey()) - delivered - 1);
            readEpoch = epoch;
        }
        long readUpTo = from + missing;
        history.read(topic, from, missing).whenComplete((read, failure) -> {
            synchronized (this) {
                if (cancelled) {
                    return;
                }
                boolean current = failure == null && readEpoch.equals(epoch);
                if (current && read.latest().epoch().equals(epoch)) {
                    long first = read.entries().stream().mapToLong(HistoryEntry::offset).filter(o -> o > delivered)
                            .min().orElse(0);
                    if (tail && first > delivered + 1) {
                        // A later message is in the history, the earlier ones are not (trimmed, or a
                        // last-value topic's superseded values): as for a gap before a pending message.
                        skip(first - 1);
                    }
                    for (HistoryEntry e : read.entries()) {
                        if (e.offset() == delivered + 1) {
                            EncodedFrame arrived = pending.remove(e.offset());
                            EncodedFrame f = arrived != null ? arrived : stamped(e);
                            if (f != null) {
                                write(e.offset(), f);
                            }
                        }
                    }
                }
                // Only what this read looked for may be given up, and only when the store answered: a
                // gap that opened after the read was issued (another read may have filled the first)
                // is read again, and so is one the store could not be asked about (it is down).
                if (current && !pending.isEmpty() && pending.firstKey() > delivered + 1 && delivered < readUpTo) {
                    skip(Math.min(pending.firstKey() - 1, readUpTo));
                } else if (failure != null) {
                    log.debug("Durable topic \"{}\": cannot read the gap after {} ({}); trying again", topic,
                            from, failure.toString());
                }
                if (tail) {
                    // Nothing later arrived to prove the tail lost for good (an append may be between
                    // taking its offset and storing its message): what the read did not find is looked
                    // for again by the next check, or filled as a gap when a later message arrives.
                    head = 0;
                }
                drain();
            }
        });
    }

    /**
     * @return the entry's frame with its offset, or null (logged) when the entry is not one event frame: whoever
     *     can write to the store must not reach clients with raw text or request frames
     */
    private EncodedFrame stamped(HistoryEntry e) {
        if (!EventFrames.valid(e.message())) {
            log.warn("Durable topic \"{}\": history entry {} is not an event frame; not sent", topic, e.offset());
            return null;
        }
        return EncodedFrame.ofBytes(codec.withOffset(e.message(), e.offset()));
    }

    private void skip(long to) {
        log.warn("Durable topic \"{}\": offsets {}..{} are neither delivered nor in the history; skipping them",
                topic, delivered + 1, to);
        delivered = to;
    }

    private void retry(Runnable task) {
        if (!cancelled) {
            timer.schedule(task, Math.max(gapDelayMillis, 1000), TimeUnit.MILLISECONDS);
        }
    }

    synchronized void cancel() {
        cancelled = true;
        pending.clear();
        unconfirmed.clear();
    }

    /**
     * @param seen the number of unconfirmed epochs seen when the first message of this one arrived
     * @param frames its messages by offset
     */
    private record Unconfirmed(long seen, TreeMap<Long, EncodedFrame> frames) { }
}
