package dev.switchboard.client.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Frames (requests and emits) made while the client is reconnecting, in call order, to be written
 * once it is open again. Bounded. An entry whose future completed meanwhile (timed out) is skipped.
 * Not thread-safe: the client guards it with its state lock.
 */
public final class OutboundQueue {
    private final int capacity;
    private final Deque<Entry> entries = new ArrayDeque<>();

    /** @param capacity how many live entries may wait; 0 refuses all */
    public OutboundQueue(int capacity) {
        this.capacity = capacity;
    }

    /**
     * @param outcome the request's or emit's future; the entry is dropped once it completes
     * @param onWrite writes the frame to the session it is given
     * @return false when the queue is full
     */
    public boolean offer(CompletableFuture<?> outcome, Consumer<Session> onWrite) {
        entries.removeIf(e -> e.outcome.isDone());
        if (entries.size() >= capacity) {
            return false;
        }
        entries.add(new Entry(outcome, onWrite));
        return true;
    }

    /** @return the live entries in order, emptying the queue */
    public List<Entry> drain() {
        List<Entry> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            if (!e.outcome.isDone()) {
                out.add(e);
            }
        }
        entries.clear();
        return out;
    }

    /** @return the number of entries, including ones that completed and are not purged yet */
    public int size() {
        return entries.size();
    }

    /**
     * A queued frame.
     *
     * @param outcome the future the caller holds
     * @param onWrite writes the frame to the session it is given
     */
    public record Entry(CompletableFuture<?> outcome, Consumer<Session> onWrite) {
    }
}
