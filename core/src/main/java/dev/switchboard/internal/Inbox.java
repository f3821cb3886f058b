package dev.switchboard.internal;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
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

    private final Consumer<byte[]> listener;
    private final long maxBytes;
    private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;

    /**
     * @param name the delivery thread's name
     * @param maxBytes the queue's bound
     * @param listener the core's listener
     */
    Inbox(String name, long maxBytes, Consumer<byte[]> listener) {
        this.listener = listener;
        this.maxBytes = maxBytes;
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** @param m a received message @return the count of dropped messages so far when it was dropped, else 0 */
    long offer(byte[] m) {
        if (closed) {
            return 0;
        }
        long size = m.length;
        long after = queuedBytes.addAndGet(size);
        if (after > maxBytes && after != size) {
            queuedBytes.addAndGet(-size);
            return dropped.incrementAndGet();
        }
        queue.add(m);
        return 0;
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
            byte[] m;
            try {
                m = queue.take();
            } catch (InterruptedException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            if (m == STOP || closed) {
                return;
            }
            queuedBytes.addAndGet(-m.length);
            try {
                listener.accept(m);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                log.warn("Backplane listener failed on a message; delivery goes on", e);
            }
        }
    }

    /** Stops at once: queued messages are dropped, the thread ends. Idempotent. */
    void close() {
        closed = true;
        queue.clear();
        queue.add(STOP);
    }
}
