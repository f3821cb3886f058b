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
 * every node back into offset order and fills gaps from the history. A gap shows when a later message
 * arrives; a stream that heard nothing for {@code historyCheckInterval} asks the history for its latest
 * offset, so that a lost last message is delivered too ({@link #checkIdleStreams}). Recovery of a
 * subscriber ({@code since}) is {@link #recover}.
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
    private final long checkNanos;

    /**
     * @param historyCheckInterval how long a stream may hear nothing before the history's latest offset is
     *     checked; zero for never
     */
    DurableTopics(History history, DefaultRegistry registry, FrameCodec codec, ScheduledExecutorService timer,
                  Clock clock, Duration historyTimeout, long gapDelayMillis, Duration historyCheckInterval) {
        this.history = history;
        this.registry = registry;
        this.codec = codec;
        this.timer = timer;
        this.clock = clock;
        this.historyTimeout = historyTimeout;
        this.gapDelayMillis = gapDelayMillis;
        this.checkNanos = historyCheckInterval.toNanos();
        if (checkNanos > 0) {
            // A quarter of the interval between looks: a stream is checked at most 1.25 intervals after it fell
            // silent, and at most once per interval while it stays silent.
            long tick = Math.max(50, historyCheckInterval.toMillis() / 4);
            timer.scheduleWithFixedDelay(this::checkIdleStreams, tick, tick, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Asks the history for the latest offset of every stream that heard nothing for the check interval, and
     * fills what it did not deliver: a message whose envelope was lost between nodes (a partition, a server
     * restart, a dropped publish) and that no later message revealed. Runs on the timer; never blocks.
     */
    void checkIdleStreams() {
        long now = System.nanoTime();
        for (TopicStream s : streams.values()) {
            try {
                s.checkIfIdle(now);
            } catch (RuntimeException e) {
                log.warn("Durable topic \"{}\": checking its history failed", s.topic(), e);
            }
        }
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
                s = new TopicStream(topic, history, registry, codec, timer, gapDelayMillis, checkNanos);
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
        return readNotBehindStream(topic, after, limit, READS_PER_RECOVERY).thenApply(read -> {
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

    /** How many times a recovery reads the history before it answers with a read behind the topic's stream. */
    static final int READS_PER_RECOVERY = 3;

    /**
     * Reads the history for a joining subscriber, whose connection is a member of the topic already: from
     * now on the topic's stream writes it every offset after the stream's own position, so the read must
     * reach that position. It need not when the stream was new: the stream's first read of the history and
     * this one run at once, and the store may answer them in the other order than it ran them (two pooled
     * connections of a database) — the stream then starts after an offset this read did not see, counts it as
     * history and never writes it, and the subscriber, told {@code recovered:true}, misses it (found by the
     * chaos soak). Such a read is made again: issued after the stream's position was set, the next one reaches
     * it. So is a read of an epoch the stream has already left.
     *
     * @param attempts reads left; the last one is answered even when it is behind
     */
    private CompletableFuture<HistoryRead> readNotBehindStream(String topic, long after, int limit, int attempts) {
        return history.read(topic, after, limit).thenCompose(read -> {
            TopicStream s = streams.get(topic);
            if (s == null) {
                return CompletableFuture.completedFuture(read);
            }
            s.startAt(read.latest());
            if (!s.isAhead(read.latest())) {
                return CompletableFuture.completedFuture(read);
            }
            if (attempts <= 1) {
                log.warn("Durable topic \"{}\": the history read for a subscriber ({}) is still behind this node's "
                        + "stream after {} reads; answering with it", topic, read.latest(), READS_PER_RECOVERY);
                return CompletableFuture.completedFuture(read);
            }
            log.debug("Durable topic \"{}\": the history read for a subscriber ({}) is behind this node's stream; "
                    + "reading again", topic, read.latest());
            return readNotBehindStream(topic, after, limit, attempts - 1);
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
