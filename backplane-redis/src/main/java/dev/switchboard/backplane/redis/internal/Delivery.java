package dev.switchboard.backplane.redis.internal;

import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands received messages from Lettuce's event loop to one delivery thread per backplane, in arrival order,
 * so that the listener never runs on (and never stalls) the event loop that also carries this node's
 * publishes. The queue is bounded in bytes: past the bound, messages are dropped and counted (one message
 * is always accepted when the queue is empty, whatever its size). A listener that throws is logged and
 * delivery goes on with the next message.
 */
public final class Delivery implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Delivery.class);
    private static final byte[] STOP = new byte[0];

    private final Consumer<byte[]> listener;
    private final long maxBytes;
    private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;
    private volatile long lastWarn;

    /**
     * Starts the delivery thread.
     *
     * @param name the thread's name
     * @param listener the core's listener
     * @param maxBytes the queue's bound in bytes
     */
    public Delivery(String name, Consumer<byte[]> listener, long maxBytes) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.maxBytes = maxBytes;
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Queues a message for the listener; never blocks.
     *
     * @param message the received bytes
     */
    public void offer(byte[] message) {
        if (closed) {
            return;
        }
        long size = message.length;
        long after = queuedBytes.addAndGet(size);
        if (after > maxBytes && after != size) {
            queuedBytes.addAndGet(-size);
            long n = dropped.incrementAndGet();
            long now = System.nanoTime();
            if (now - lastWarn > 10_000_000_000L) {
                lastWarn = now;
                log.warn("Redis backplane delivery queue is full ({} bytes): dropped received messages, {} so far; "
                        + "the listener is slower than the traffic", maxBytes, n);
            }
            return;
        }
        queue.add(message);
    }

    /** @return how many received messages were dropped because the queue was full */
    public long dropped() {
        return dropped.get();
    }

    private void run() {
        while (true) {
            byte[] m;
            try {
                m = queue.take();
            } catch (InterruptedException e) {
                return;
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

    /** Stops delivering at once: queued messages are discarded, the thread ends. Idempotent. */
    @Override
    public void close() {
        closed = true;
        queue.clear();
        queue.add(STOP);
    }
}
