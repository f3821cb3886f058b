package dev.switchboard.backplane.postgres.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes off the caller's thread: {@link #offer} puts a message in a bounded queue (by count and by
 * bytes) and returns at once; one thread sends what is queued in batches, each in one transaction.
 * While the server is known to be unreachable, and whenever the queue is full, messages are dropped
 * and counted instead of waiting. The thread probes the server with jittered exponential backoff and
 * takes messages again once it answers.
 *
 * <p>States: {@code CONNECTING} (queueing, not yet connected) → {@code UP} ⇄ {@code DOWN} (dropping);
 * {@link #close()} ends in {@code CLOSED}.
 */
public final class Publisher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Publisher.class);
    private static final long MAX_BATCH_BYTES = 1 << 20;

    /** Where the publisher is in its life. */
    public enum State { CONNECTING, UP, DOWN, CLOSED }

    private volatile String name = "switchboard-pg-publish";
    private final DataSource dataSource;
    private final Notifier notifier;
    private final BlockingQueue<Notifier.Outgoing> queue;
    private final long maxQueuedBytes;
    private final int batchSize;
    private final Backoff backoff;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final Object wakeup = new Object();
    private volatile State state = State.CONNECTING;
    private volatile String detail = "connecting";
    private volatile Thread thread;

    /**
     * @param dataSource where publishing connections come from (borrowed per batch)
     * @param notifier sends a batch on a connection
     * @param queueSize the most messages waiting
     * @param maxQueuedBytes the most bytes waiting
     * @param batchSize the most messages per transaction
     * @param backoff delays between probes while the server is down
     */
    public Publisher(DataSource dataSource, Notifier notifier, int queueSize, long maxQueuedBytes,
                     int batchSize, Backoff backoff) {
        this.dataSource = dataSource;
        this.notifier = notifier;
        this.queue = new ArrayBlockingQueue<>(queueSize);
        this.maxQueuedBytes = maxQueuedBytes;
        this.batchSize = batchSize;
        this.backoff = backoff;
    }

    /**
     * Starts the publishing thread; returns at once.
     *
     * @param threadName names the thread and log lines
     */
    public synchronized void start(String threadName) {
        this.name = threadName;
        if (thread != null) {
            throw new IllegalStateException(name + " already started");
        }
        thread = Threads.daemon(name).newThread(this::run);
        thread.start();
    }

    /**
     * Queues a message. Never blocks.
     *
     * @param channel the channel to notify
     * @param message the bytes
     * @return false when it was dropped (server down, queue full, closed) and counted
     */
    public boolean offer(String channel, byte[] message) {
        State s = state;
        if (s == State.DOWN || s == State.CLOSED) {
            dropped.incrementAndGet();
            return false;
        }
        if (queuedBytes.addAndGet(message.length) > maxQueuedBytes) {
            queuedBytes.addAndGet(-message.length);
            dropped.incrementAndGet();
            return false;
        }
        if (!queue.offer(new Notifier.Outgoing(channel, message))) {
            queuedBytes.addAndGet(-message.length);
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    /** @return the current state */
    public State state() {
        return state;
    }

    /** @return a short description of the state */
    public String detail() {
        return detail;
    }

    /** @return how many messages were dropped since the start */
    public long dropped() {
        return dropped.get();
    }

    /** @return how many messages were published since the start */
    public long published() {
        return published.get();
    }

    private void run() {
        int failures = 0;
        while (state != State.CLOSED) {
            if (state != State.UP) {
                try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
                    st.execute("SELECT 1");
                    if (state == State.DOWN) {
                        log.info("{}: publishing again", name);
                    }
                    setState(State.UP, "publishing");
                    failures = 0;
                } catch (SQLException | RuntimeException e) {
                    down(e, failures == 0);
                    pause(backoff.delayMillis(failures++));
                }
                continue;
            }
            List<Notifier.Outgoing> batch = nextBatch();
            if (!batch.isEmpty()) {
                send(batch);
            }
        }
        dropQueued();
    }

    private List<Notifier.Outgoing> nextBatch() {
        List<Notifier.Outgoing> batch = new ArrayList<>();
        try {
            Notifier.Outgoing first = queue.poll(200, TimeUnit.MILLISECONDS);
            if (first == null) {
                return batch;
            }
            batch.add(first);
            long bytes = first.message().length;
            Notifier.Outgoing next;
            while (batch.size() < batchSize && bytes < MAX_BATCH_BYTES && (next = queue.poll()) != null) {
                batch.add(next);
                bytes += next.message().length;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return batch;
    }

    private void send(List<Notifier.Outgoing> batch) {
        long bytes = 0;
        for (Notifier.Outgoing o : batch) {
            bytes += o.message().length;
        }
        try (Connection c = dataSource.getConnection()) {
            notifier.publishBatch(c, batch);
            published.addAndGet(batch.size());
        } catch (SQLException e) {
            dropped.addAndGet(batch.size());
            if (Sql.isOutage(e)) {
                down(e, true);
            } else {
                log.error("{}: publishing {} message(s) failed; they are dropped", name, batch.size(), e);
            }
        } catch (RuntimeException e) {
            dropped.addAndGet(batch.size());
            log.error("{}: publishing {} message(s) failed; they are dropped", name, batch.size(), e);
        } finally {
            queuedBytes.addAndGet(-bytes);
        }
    }

    private void down(Exception e, boolean first) {
        if (state == State.CLOSED) {
            return;
        }
        if (first) {
            log.warn("{}: cannot publish, dropping messages until the server answers: {}", name, e.toString());
            log.debug("{}: publish failure", name, e);
        } else {
            log.debug("{}: server still unreachable: {}", name, e.toString());
        }
        setState(State.DOWN, "cannot publish: " + e.getMessage());
        dropQueued();
    }

    private void dropQueued() {
        Notifier.Outgoing o;
        while ((o = queue.poll()) != null) {
            queuedBytes.addAndGet(-o.message().length);
            dropped.incrementAndGet();
        }
    }

    private synchronized void setState(State s, String d) {
        if (state != State.CLOSED) {
            state = s;
            detail = d;
        }
    }

    private void pause(long millis) {
        long deadline = System.currentTimeMillis() + millis;
        synchronized (wakeup) {
            long left;
            while (state != State.CLOSED && (left = deadline - System.currentTimeMillis()) > 0) {
                try {
                    wakeup.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Sends what is queued if the server is up (waiting up to about a second), then stops; later offers
     * are dropped. Idempotent.
     */
    @Override
    public void close() {
        Thread t = thread;
        if (t != null && state == State.UP) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (!queue.isEmpty() && state == State.UP && System.nanoTime() < deadline) {
                try {
                    t.join(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        synchronized (this) {
            state = State.CLOSED;
            detail = "closed";
        }
        synchronized (wakeup) {
            wakeup.notifyAll();
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
