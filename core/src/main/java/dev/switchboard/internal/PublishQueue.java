package dev.switchboard.internal;

import dev.switchboard.spi.Outbound;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The backplane pipeline's outbound queue: bounded by count and by bytes (one message is always taken
 * when the queue is empty, whatever its size), filled by any thread, emptied in batches by the publishing
 * thread. Counts what was taken and is not yet sent or dropped, so that closing can wait for it.
 */
final class PublishQueue {
    private final BlockingQueue<Outbound> queue;
    private final int maxMessages;
    private final long maxBytes;
    private final AtomicLong bytes = new AtomicLong();
    /** Messages taken into the queue and not yet sent or dropped. */
    private final AtomicLong pending = new AtomicLong();

    /**
     * @param maxMessages the most queued messages
     * @param maxBytes the most queued bytes
     */
    PublishQueue(int maxMessages, long maxBytes) {
        this.queue = new ArrayBlockingQueue<>(maxMessages);
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
    }

    /**
     * @param o a message
     * @return null when it was queued, else why it was not (the queue is full)
     */
    String offer(Outbound o) {
        long size = o.message().length;
        if (bytes.addAndGet(size) > maxBytes && bytes.get() != size) {
            bytes.addAndGet(-size);
            return "the publish queue is full (" + maxBytes + " bytes)";
        }
        pending.incrementAndGet();
        if (!queue.offer(o)) {
            pending.decrementAndGet();
            bytes.addAndGet(-size);
            return "the publish queue is full (" + maxMessages + " messages)";
        }
        return null;
    }

    /**
     * Takes a message to be sent at once by the caller, when nothing is queued or in flight: the one way a
     * message may overtake the publishing thread without reordering anything.
     *
     * @param o a message
     * @return true when taken (hand it to {@link #sentAlone} once sent or dropped), false when something
     *     else is queued or in flight (offer it instead)
     */
    boolean takeAlone(Outbound o) {
        // Nothing pending means nothing queued and no batch in flight: a queued message is counted before it
        // is queued, and a batch until it was sent. What others offer from now on is not ordered with it.
        if (!pending.compareAndSet(0, 1)) {
            return false;
        }
        bytes.addAndGet(o.message().length);
        return true;
    }

    /** @param o a message from {@link #takeAlone}, now sent or dropped */
    void sentAlone(Outbound o) {
        bytes.addAndGet(-o.message().length);
        pending.decrementAndGet();
    }

    /**
     * Waits for the next batch.
     *
     * @param waitNanos how long to wait for a first message
     * @param max the most messages in the batch
     * @return the batch, or null when nothing came in time; hand it to {@link #done} once sent or dropped
     * @throws InterruptedException when interrupted while waiting
     */
    List<Outbound> next(long waitNanos, int max) throws InterruptedException {
        Outbound first = queue.poll(Math.max(1, waitNanos), TimeUnit.NANOSECONDS);
        if (first == null) {
            return null;
        }
        List<Outbound> batch = new ArrayList<>();
        batch.add(first);
        queue.drainTo(batch, max - 1);
        return batch;
    }

    /** @param batch a batch from {@link #next}, now sent or dropped */
    void done(List<Outbound> batch) {
        release(batch);
    }

    /** @return how many queued messages were dropped, now that the queue is emptied */
    int clear() {
        List<Outbound> queued = new ArrayList<>();
        queue.drainTo(queued);
        release(queued);
        return queued.size();
    }

    private void release(List<Outbound> messages) {
        long n = 0;
        for (Outbound o : messages) {
            n += o.message().length;
        }
        bytes.addAndGet(-n);
        pending.addAndGet(-messages.size());
    }

    /**
     * Waits until every message taken was sent or dropped.
     *
     * @param millis the longest wait
     * @param sending true while the messages may still go out
     */
    void awaitSent(long millis, java.util.function.BooleanSupplier sending) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (pending.get() > 0 && sending.getAsBoolean() && System.nanoTime() < deadline) {
            // The publishing thread signals nothing per batch; a short poll is enough at shutdown.
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }
}
