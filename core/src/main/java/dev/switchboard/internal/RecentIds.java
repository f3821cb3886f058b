package dev.switchboard.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ids seen in the last {@code window}, at most {@code capacity} of them (the oldest are forgotten
 * first). Adding and checking cost O(1) amortised: entries are kept in arrival order, so the expired
 * ones are always at the head. Thread-safe (one lock; the work under it is a hash lookup).
 */
final class RecentIds {
    private final long windowMillis;
    private final int capacity;
    private final Clock clock;
    // id -> when it was added (millis); insertion order = time order.
    private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();

    RecentIds(Duration window, int capacity, Clock clock) {
        this.windowMillis = window.toMillis();
        this.capacity = capacity;
        this.clock = clock;
    }

    /**
     * @param id an id
     * @return true when the id was not seen within the window (it is remembered now), false for a repeat
     */
    synchronized boolean add(String id) {
        if (windowMillis == 0) {
            return true;
        }
        long now = clock.millis();
        expire(now);
        if (seen.containsKey(id)) {
            return false;
        }
        seen.put(id, now);
        if (seen.size() > capacity) {
            Iterator<String> oldest = seen.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        return true;
    }

    /** Forgets an id, so that it may be added again (its delivery failed). */
    synchronized void remove(String id) {
        seen.remove(id);
    }

    synchronized int size() {
        expire(clock.millis());
        return seen.size();
    }

    private void expire(long now) {
        Iterator<Map.Entry<String, Long>> it = seen.entrySet().iterator();
        while (it.hasNext()) {
            if (now - it.next().getValue() < windowMillis) {
                return;
            }
            it.remove();
        }
    }
}
