package dev.switchboard.backplane;

import dev.switchboard.Retention;
import dev.switchboard.StreamPosition;
import dev.switchboard.spi.History;
import dev.switchboard.spi.HistoryEntry;
import dev.switchboard.spi.HistoryRead;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Durable-topic history in this JVM's memory: a bounded log per topic, trimmed by count on every
 * append and by age on every append and read. It is the history of {@link LocalBackplane} nodes and
 * of the nodes of one {@link InMemoryBackplane.Bus}; it is lost with the process, and a new process
 * starts new epochs. Thread-safe; every method completes at once.
 */
public final class InMemoryHistory implements History {
    private final Map<String, Log> logs = new ConcurrentHashMap<>();
    private final Clock clock;

    /** Creates an empty history on the system clock. */
    public InMemoryHistory() {
        this(Clock.systemUTC());
    }

    /** @param clock the clock that stamps entries and ages them */
    public InMemoryHistory(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public CompletableFuture<StreamPosition> append(String topic, byte[] message, Retention retention) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(retention, "retention");
        Log log = log(topic);
        synchronized (log) {
            long now = clock.millis();
            long offset = ++log.latest;
            log.entries.addLast(new HistoryEntry(offset, now, message));
            log.maxAgeMillis = retention.maxAgeMillis();
            while (log.entries.size() > retention.maxMessages()) {
                log.entries.removeFirst();
            }
            log.expire(now);
            return CompletableFuture.completedFuture(new StreamPosition(log.epoch, offset));
        }
    }

    @Override
    public CompletableFuture<HistoryRead> read(String topic, long afterOffset, int limit) {
        Log log = log(topic);
        synchronized (log) {
            log.expire(clock.millis());
            List<HistoryEntry> out = new ArrayList<>();
            for (HistoryEntry e : log.entries) {
                if (out.size() >= limit) {
                    break;
                }
                if (e.offset() > afterOffset) {
                    out.add(e);
                }
            }
            return CompletableFuture.completedFuture(new HistoryRead(new StreamPosition(log.epoch, log.latest), out));
        }
    }

    /** Forgets every topic, as a store that restarted empty would: later reads see new epochs. */
    public void clear() {
        logs.clear();
    }

    private Log log(String topic) {
        return logs.computeIfAbsent(Objects.requireNonNull(topic, "topic"), t -> new Log());
    }

    private static final class Log {
        final String epoch = UUID.randomUUID().toString().substring(0, 8);
        final ArrayDeque<HistoryEntry> entries = new ArrayDeque<>();
        long latest;
        long maxAgeMillis;

        void expire(long now) {
            if (maxAgeMillis > 0) {
                while (!entries.isEmpty() && now - entries.peekFirst().timestampMillis() > maxAgeMillis) {
                    entries.removeFirst();
                }
            }
        }
    }
}
