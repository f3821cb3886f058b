package dev.switchboard.backplane.kafka.internal;

import dev.switchboard.backplane.kafka.SkipReason;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Logs skipped records without flooding the log: the first of each reason at once, then at most one line per
 * reason every 10 seconds, with the running count; the rest at debug level. Thread-safe.
 */
public final class SkipLog {
    private static final long INTERVAL_NANOS = 10_000_000_000L;
    private final Logger log;
    private final Map<SkipReason, Long> lastWarned = new EnumMap<>(SkipReason.class);

    /** @param log the logger to write to */
    public SkipLog(Logger log) {
        this.log = log;
    }

    /**
     * @param reason why the record was skipped
     * @param count how many were skipped for that reason so far
     * @param where the record's topic, partition and offset
     * @param detail what was wrong with it
     */
    public synchronized void skipped(SkipReason reason, long count, String where, String detail) {
        long now = System.nanoTime();
        Long last = lastWarned.get(reason);
        if (last == null || now - last >= INTERVAL_NANOS) {
            lastWarned.put(reason, now);
            log.warn("Skipped Kafka record {} ({}, {} so far): {}", where, reason, count, detail);
        } else {
            log.debug("Skipped Kafka record {} ({}, {} so far): {}", where, reason, count, detail);
        }
    }
}
