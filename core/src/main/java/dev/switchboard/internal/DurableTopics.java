package dev.switchboard.internal;

import dev.switchboard.BackplaneException;
import dev.switchboard.Retention;
import dev.switchboard.StreamPosition;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.spi.EncodedFrame;
import dev.switchboard.spi.History;
import dev.switchboard.spi.HistoryEntry;
import dev.switchboard.spi.HistoryRead;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable topics on this node: which topics are durable, the append on publish, and one
 * {@link TopicStream} per durable topic that has local members, which puts the messages arriving from
 * every node back into offset order and fills gaps from the history. Recovery of a subscriber
 * ({@code since}) is {@link #recover}.
 */
final class DurableTopics {
    private static final Logger log = LoggerFactory.getLogger(DurableTopics.class);

    private final Map<String, Retention> exact = new ConcurrentHashMap<>();
    private final List<Map.Entry<String, Retention>> prefixes = new CopyOnWriteArrayList<>();
    private final Map<String, TopicStream> streams = new ConcurrentHashMap<>();
    private final History history;
    private final DefaultRegistry registry;
    private final FrameCodec codec;
    private final ScheduledExecutorService timer;
    private final Clock clock;
    private final Duration historyTimeout;
    private final long gapDelayMillis;

    DurableTopics(History history, DefaultRegistry registry, FrameCodec codec, ScheduledExecutorService timer,
                  Clock clock, Duration historyTimeout, long gapDelayMillis) {
        this.history = history;
        this.registry = registry;
        this.codec = codec;
        this.timer = timer;
        this.clock = clock;
        this.historyTimeout = historyTimeout;
        this.gapDelayMillis = gapDelayMillis;
    }

    // ---- configuration ----

    void declare(String pattern, Retention retention) {
        Objects.requireNonNull(retention, "retention");
        if (Objects.requireNonNull(pattern, "pattern").isBlank()) {
            throw new IllegalArgumentException("durable topic pattern must not be blank");
        }
        if (pattern.endsWith("*")) {
            prefixes.add(Map.entry(pattern.substring(0, pattern.length() - 1), retention));
        } else {
            exact.put(pattern, retention);
        }
    }

    /** @return the topic's retention, or null when it is not durable */
    Retention retention(String topic) {
        if (topic == null) {
            return null;
        }
        Retention r = exact.get(topic);
        if (r != null || prefixes.isEmpty()) {
            return r;
        }
        Retention best = null;
        int bestLength = -1;
        for (Map.Entry<String, Retention> e : prefixes) {
            if (topic.startsWith(e.getKey()) && e.getKey().length() > bestLength) {
                best = e.getValue();
                bestLength = e.getKey().length();
            }
        }
        return best;
    }

    // ---- publish ----

    /** A message appended to the history, stamped with its offset. */
    record Appended(StreamPosition position, byte[] frame) { }

    /**
     * Appends an event frame (encoded without offset) to the topic's history, waiting at most
     * {@code historyTimeout}.
     *
     * @throws BackplaneException when the store fails or does not answer in time
     */
    Appended append(String topic, Retention retention, byte[] frameWithoutOffset) {
        try {
            StreamPosition p = history.append(topic, frameWithoutOffset, retention)
                    .get(historyTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Appended(p, codec.withOffset(frameWithoutOffset, p.offset()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackplaneException("interrupted while appending to durable topic \"" + topic + "\"", e);
        } catch (ExecutionException e) {
            throw new BackplaneException("cannot append to durable topic \"" + topic + "\": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new BackplaneException("history store did not append to \"" + topic + "\" within "
                    + historyTimeout, e);
        }
    }

    // ---- local delivery ----

    /**
     * Delivers a durable message, from this node or another, to the topic's local members in offset
     * order.
     *
     * @return true when the topic has a stream here (local members); false when nobody here listens
     */
    boolean deliver(String topic, String epoch, long offset, EncodedFrame frame) {
        TopicStream s = streams.get(topic);
        if (s == null) {
            return false;
        }
        s.offer(epoch, offset, frame);
        return true;
    }

    /**
     * A local connection is about to join a topic: make sure a durable topic's stream exists first, so
     * that no durable message reaches the connection except through the stream. Pair with
     * {@link #joinDone}.
     */
    void joining(String topic) {
        Retention r = retention(topic);
        if (r == null) {
            return;
        }
        synchronized (streams) {
            TopicStream s = streams.get(topic);
            if (s == null) {
                s = new TopicStream(topic, r);
                streams.put(topic, s);
                s.initialise();
            }
            s.joining++;
        }
    }

    /** The join announced by {@link #joining} is over (the connection is indexed, or was closed). */
    void joinDone(String topic) {
        if (!streams.containsKey(topic)) {
            return;
        }
        synchronized (streams) {
            TopicStream s = streams.get(topic);
            if (s != null) {
                s.joining--;
                removeIfUnused(topic, s);
            }
        }
    }

    /** A local connection left a topic: drop the stream when nobody here is in it any more. */
    void left(String topic) {
        if (!streams.containsKey(topic)) {
            return;
        }
        synchronized (streams) {
            TopicStream s = streams.get(topic);
            if (s != null) {
                removeIfUnused(topic, s);
            }
        }
    }

    private void removeIfUnused(String topic, TopicStream s) {
        if (s.joining == 0 && registry.topicSize(topic) == 0) {
            streams.remove(topic);
            s.cancel();
        }
    }

    /**
     * One durable topic's messages on this node, put in offset order. Messages arrive from the
     * backplane (other nodes) and from this node's own publishes, in any order; a message whose
     * predecessor is missing waits {@code gapDelayMillis}, then the gap is read from the history.
     */
    private final class TopicStream {
        private final String topic;
        private final Retention retention;
        private final java.util.TreeMap<Long, EncodedFrame> pending = new java.util.TreeMap<>();
        private final java.util.Set<String> retiredEpochs = new java.util.HashSet<>();
        private String epoch; // null until initialised
        private String pendingEpoch;
        private long delivered;
        private boolean gapScheduled;
        private boolean cancelled;
        private int joining; // guarded by the streams map's lock

        TopicStream(String topic, Retention retention) {
            this.topic = topic;
            this.retention = retention;
        }

        void initialise() {
            history.latest(topic).whenComplete((latest, failure) -> {
                if (failure != null) {
                    log.warn("Cannot read the position of durable topic \"{}\" ({}); retrying", topic,
                            failure.toString());
                    retry(this::initialise);
                    return;
                }
                startAt(latest);
            });
        }

        /**
         * Sets where the stream starts when it has no position yet (from any read of the history made
         * after the stream was created): later offsets are new, earlier ones are history. A read that
         * finds a new epoch moves the stream to it.
         */
        synchronized void startAt(StreamPosition latest) {
            if (epoch == null) {
                epoch = latest.epoch();
                delivered = latest.offset();
                if (pendingEpoch != null && !pendingEpoch.equals(epoch)) {
                    pending.clear();
                }
                drain();
            } else if (!epoch.equals(latest.epoch()) && !retiredEpochs.contains(latest.epoch())) {
                // The history moved to a new epoch before any of its messages reached this node: follow it
                // now, so that no message of the lost epoch goes out after a subscriber was told the new one.
                log.info("Durable topic \"{}\" moved from epoch {} to {}: its history was lost", topic, epoch,
                        latest.epoch());
                retiredEpochs.add(epoch);
                epoch = latest.epoch();
                delivered = 0;
                pending.clear();
            }
        }

        synchronized void offer(String messageEpoch, long offset, EncodedFrame frame) {
            if (cancelled || retiredEpochs.contains(messageEpoch)) {
                return;
            }
            if (epoch == null) {
                // Not initialised yet: keep it; the history's position decides what is new.
                pendingEpoch = messageEpoch;
                pending.put(offset, frame);
                return;
            }
            if (!epoch.equals(messageEpoch)) {
                log.info("Durable topic \"{}\" moved from epoch {} to {}: its history was lost", topic, epoch,
                        messageEpoch);
                retiredEpochs.add(epoch);
                epoch = messageEpoch;
                // A new epoch's offsets start at 1: the messages before this one are new too and may
                // still arrive (or be read from the history), so they must not count as delivered.
                delivered = 0;
                pending.clear();
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
            synchronized (this) {
                gapScheduled = false;
                if (cancelled || pending.isEmpty() || pending.firstKey() == delivered + 1) {
                    drain();
                    return;
                }
                from = delivered;
                missing = (int) Math.min(Integer.MAX_VALUE, pending.firstKey() - delivered - 1);
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
                        for (HistoryEntry e : read.entries()) {
                            if (e.offset() == delivered + 1) {
                                EncodedFrame arrived = pending.remove(e.offset());
                                EncodedFrame f = arrived != null ? arrived : stamped(topic, e);
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
                        long skipTo = Math.min(pending.firstKey() - 1, readUpTo);
                        log.warn("Durable topic \"{}\": offsets {}..{} are neither delivered nor in the history; "
                                + "skipping them", topic, delivered + 1, skipTo);
                        delivered = skipTo;
                    } else if (failure != null) {
                        log.debug("Durable topic \"{}\": cannot read the gap after {} ({}); trying again", topic,
                                from, failure.toString());
                    }
                    drain();
                }
            });
        }

        private void retry(Runnable task) {
            if (!cancelled) {
                timer.schedule(task, Math.max(gapDelayMillis, 1000), TimeUnit.MILLISECONDS);
            }
        }

        synchronized void cancel() {
            cancelled = true;
            pending.clear();
        }
    }

    // ---- recovery ----

    /** What a subscriber gets: the reply's position, whether it was recovered, the frames to send. */
    record Recovery(StreamPosition position, boolean recovered, List<EncodedFrame> frames) { }

    /**
     * Reads what a subscriber of a durable topic missed.
     *
     * @param topic the topic
     * @param retention its retention
     * @param since where the subscriber stopped, or null for a new subscription
     * @return the position to report, whether the subscriber was recovered (no gap, same epoch), and
     *     the frames to send after the reply: the missed messages, or for a last-value topic without
     *     {@code since} its latest message; completes exceptionally when the history cannot be read
     */
    CompletableFuture<Recovery> recover(String topic, Retention retention, StreamPosition since) {
        long after = since == null ? (retention.isLastValue() ? 0 : Long.MAX_VALUE) : since.offset();
        int limit = since == null ? (retention.isLastValue() ? 1 : 0) : retention.maxMessages();
        return history.read(topic, after, limit).thenApply(read -> {
            TopicStream s = streams.get(topic);
            if (s != null) {
                s.startAt(read.latest());
            }
            List<HistoryEntry> entries = fresh(read, retention);
            StreamPosition latest = read.latest();
            List<EncodedFrame> frames = new ArrayList<>();
            if (since == null) {
                if (retention.isLastValue() && !entries.isEmpty()) {
                    HistoryEntry last = entries.get(entries.size() - 1);
                    EncodedFrame f = last.offset() == latest.offset() ? stamped(topic, last) : null;
                    if (f != null) {
                        frames.add(f);
                    }
                }
                return new Recovery(latest, false, frames);
            }
            boolean recovered = since.epoch().equals(latest.epoch()) && since.offset() <= latest.offset()
                    && contiguous(entries, since.offset(), latest.offset());
            if (recovered) {
                for (HistoryEntry e : entries) {
                    EncodedFrame f = stamped(topic, e);
                    if (f != null) {
                        frames.add(f);
                    }
                }
            }
            return new Recovery(latest, recovered, frames);
        });
    }

    /**
     * @param topic the topic
     * @param e an entry read from the history store
     * @return its frame with its offset, or null (logged) when the entry is not one event frame: whoever
     *     can write to the store must not reach clients with raw text or request frames
     */
    private EncodedFrame stamped(String topic, HistoryEntry e) {
        if (!EventFrames.valid(e.message())) {
            log.warn("Durable topic \"{}\": history entry {} is not an event frame; not sent", topic, e.offset());
            return null;
        }
        return EncodedFrame.ofBytes(codec.withOffset(e.message(), e.offset()));
    }

    /** @return the entries still within the retention's age */
    private List<HistoryEntry> fresh(HistoryRead read, Retention retention) {
        long maxAge = retention.maxAgeMillis();
        if (maxAge == 0) {
            return read.entries();
        }
        long now = clock.millis();
        List<HistoryEntry> out = new ArrayList<>(read.entries().size());
        for (HistoryEntry e : read.entries()) {
            if (now - e.timestampMillis() <= maxAge) {
                out.add(e);
            }
        }
        return out;
    }

    /** @return true when the entries are exactly the offsets after {@code since} up to {@code latest} */
    private static boolean contiguous(List<HistoryEntry> entries, long since, long latest) {
        long expected = since + 1;
        for (HistoryEntry e : entries) {
            if (e.offset() != expected) {
                return false;
            }
            expected++;
        }
        return expected == latest + 1;
    }
}
