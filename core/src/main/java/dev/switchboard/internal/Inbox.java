package dev.switchboard.internal;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Received backplane messages on their way from the adapter's I/O thread to the core: a queue bounded in
 * bytes (one message is always accepted when it is empty, whatever its size) and one delivery thread that
 * hands them to the listener in arrival order. A listener that throws is logged and delivery goes on.
 */
final class Inbox {
    private static final Logger log = LoggerFactory.getLogger(Inbox.class);
    private static final byte[] STOP = new byte[0];

    /** Receives the messages of the cluster, on the delivery thread. */
    interface Listener {
        /**
         * @param message the message, without its signature
         * @param trusted false only for an unsigned message admitted by
         *     {@link dev.switchboard.ClusterTrust#acceptUnsigned()} on a node that has a key: fit to route to
         *     clients, not to speak for a node
         */
        void received(byte[] message, boolean trusted);
    }

    /** A queued message. */
    private record Item(byte[] message, boolean trusted) { }

    private static final Item STOP_ITEM = new Item(STOP, true);
    private static final long WARN_EVERY_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);

    private final Listener listener;
    private final String what;
    private final long maxBytes;
    private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;
    private volatile long lastWarn;

    /**
     * @param name the delivery thread's name
     * @param maxBytes the queue's bound
     * @param listener the core's listener
     * @param what names the backplane and node in log lines
     */
    Inbox(String name, long maxBytes, Listener listener, String what) {
        this.listener = listener;
        this.what = what;
        this.maxBytes = maxBytes;
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * Queues a message, or drops (counts, and logs at most every 10 s) it when the queue is full.
     *
     * @param m a received message
     * @param trusted whether it may speak for a node (see {@link Listener})
     */
    void offer(byte[] m, boolean trusted) {
        if (closed) {
            return;
        }
        long size = m.length;
        long after = queuedBytes.addAndGet(size);
        if (after > maxBytes && after != size) {
            queuedBytes.addAndGet(-size);
            long n = dropped.incrementAndGet();
            long now = System.nanoTime();
            if (n == 1 || now - lastWarn > WARN_EVERY_NANOS) {
                lastWarn = now;
                log.warn("{}: the receive queue is full ({} bytes), dropped received messages, {} so far; the node "
                        + "is slower than the traffic", what, maxBytes, n);
            }
            return;
        }
        queue.add(new Item(m, trusted));
    }

    /** @return how many received messages were dropped because the queue was full */
    long dropped() {
        return dropped.get();
    }

    /** Drops what is queued. */
    void clear() {
        queue.clear();
        queuedBytes.set(0);
    }

    private void run() {
        while (true) {
            Item m;
            try {
                m = queue.take();
            } catch (InterruptedException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            if (m == STOP_ITEM || closed) {
                return;
            }
            queuedBytes.addAndGet(-m.message().length);
            try {
                listener.received(m.message(), m.trusted());
            } catch (RuntimeException | LinkageError | AssertionError e) {
                log.warn("Backplane listener failed on a message; delivery goes on", e);
            }
        }
    }

    /** Stops at once: queued messages are dropped, the thread ends. Idempotent. */
    void close() {
        closed = true;
        queue.clear();
        queue.add(STOP_ITEM);
    }
}
