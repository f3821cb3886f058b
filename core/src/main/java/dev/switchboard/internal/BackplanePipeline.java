package dev.switchboard.internal;

import dev.switchboard.BackplaneException;
import dev.switchboard.DuplicateNodeIdAction;
import dev.switchboard.ErrorCode;
import dev.switchboard.spi.Backplane;
import dev.switchboard.spi.BackplaneCapabilities;
import dev.switchboard.spi.BackplaneHealth;
import dev.switchboard.spi.BackplaneLink;
import dev.switchboard.spi.BackplaneOptions;
import dev.switchboard.spi.History;
import dev.switchboard.spi.Outbound;
import dev.switchboard.spi.ReconnectBackoff;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core's side of every backplane: the policies an adapter ({@link Backplane}) no longer implements.
 *
 * <ul>
 *   <li><b>Outbound</b>: {@link #publish} never blocks; messages wait in a queue bounded by count and bytes
 *       ({@link BackplaneOptions#publishQueueMessages()}, {@link BackplaneOptions#publishQueueBytes()}) for
 *       one publishing thread, which hands them to the adapter in batches of up to
 *       {@link BackplaneOptions#publishBatchSize()}. While the backplane is down (not connected yet, the
 *       adapter reported a disconnect, or its last batch failed) and whenever the queue is full, a publish is dropped at once
 *       and counted in {@link BackplaneHealth#droppedMessages()}; warnings are throttled to one per 10 s.</li>
 *   <li><b>Inbound</b>: what the adapter receives (on its I/O thread) is queued, bounded by
 *       {@link BackplaneOptions#receiveQueueBytes()}, for one delivery thread that calls the core's
 *       listener in arrival order.</li>
 *   <li><b>Liveness</b>: every {@link BackplaneOptions#livenessInterval()} the node publishes a beat to
 *       everyone and one to itself; the backplane is up only while both came back within
 *       {@link BackplaneOptions#livenessTimeout()}. When they stop coming back while the adapter claims
 *       to be connected, the adapter is asked to {@link Backplane#renew() renew} its subscriptions.</li>
 *   <li><b>Duplicate node ids</b>: a beat carrying this node's id but another instance's token means two
 *       live nodes share an id (issue 19); see {@link DuplicateNodeIdAction}.</li>
 * </ul>
 *
 * <p>Messages starting with {@code #sbbeat } are the beats ({@link Beats}); they never reach the listener.
 */
public final class BackplanePipeline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BackplanePipeline.class);
    private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** How long closing waits for queued messages to go out. */
    static final long FLUSH_MILLIS = 1000;

    private final Backplane adapter;
    private final BackplaneOptions options;
    private final BackplaneCapabilities capabilities;
    private final DuplicateNodeIdAction onDuplicate;
    private final Consumer<Throwable> publishFailed;
    private final Consumer<String> renamed;
    private final Beats beats = new Beats();
    private final BlockingQueue<Outbound> outbound;
    private final AtomicLong outboundBytes = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    /** Messages taken into the queue and not yet sent or dropped. */
    private final AtomicLong pending = new AtomicLong();
    private final Object wakeup = new Object();
    /** Counted down once the backplane is proven up, or the adapter reported it cannot connect. */
    private final java.util.concurrent.CountDownLatch settled = new java.util.concurrent.CountDownLatch(1);
    private volatile String nodeId;
    private volatile boolean started;
    private volatile boolean closed;
    private volatile boolean closing;
    private volatile boolean connected;
    private volatile boolean publishFailing;
    private volatile String connectionDetail = "not started";
    private volatile String failureDetail = "";
    private volatile long lostAt = System.nanoTime();
    private volatile long lastRenew = System.nanoTime();
    private volatile long lastWarn;
    private volatile long beatDue;
    private volatile Conflict conflict;
    private volatile boolean stopped;
    private Thread publisher;
    private volatile Inbox inbox;

    /** Another live node with this node's id, as its beats describe it. */
    private record Conflict(String nodeId, String instance, long startedAtMillis, String address, long seenAt) { }

    /**
     * @param adapter the technology adapter
     * @param onDuplicate what to do when another live node has this node's id
     * @param publishFailed told of every failed batch (the event listener's hook)
     * @param renamed told of the node's fresh id after a {@link DuplicateNodeIdAction#REJOIN}
     */
    public BackplanePipeline(Backplane adapter, DuplicateNodeIdAction onDuplicate, Consumer<Throwable> publishFailed,
                             Consumer<String> renamed) {
        this.adapter = Objects.requireNonNull(adapter, "adapter");
        this.options = Objects.requireNonNull(adapter.sharedOptions(), "options");
        this.capabilities = Objects.requireNonNull(adapter.capabilities(), "capabilities");
        this.onDuplicate = Objects.requireNonNull(onDuplicate, "onDuplicate");
        this.publishFailed = Objects.requireNonNull(publishFailed, "publishFailed");
        this.renamed = Objects.requireNonNull(renamed, "renamed");
        this.outbound = new ArrayBlockingQueue<>(options.publishQueueMessages());
    }

    /** @param adapter the adapter @return a pipeline that stops on a duplicate id and tells no one else */
    public static BackplanePipeline of(Backplane adapter) {
        return new BackplanePipeline(adapter, DuplicateNodeIdAction.STOP, e -> { }, id -> { });
    }

    /**
     * Starts the adapter and the pipeline's two threads, and waits up to
     * {@link BackplaneOptions#startTimeout()} until the backplane is up (connected, and this node's first
     * beats came back) or the adapter reported that it cannot connect (yet).
     *
     * @param nodeId this node's id
     * @param listener receives every message of other nodes (and possibly this node's own), on the
     *     pipeline's delivery thread, in arrival order
     */
    public synchronized void start(String nodeId, Consumer<byte[]> listener) {
        if (started || closed) {
            throw new IllegalStateException(closed ? "closed" : "already started");
        }
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(listener, "listener");
        started = true;
        if (capabilities.localOnly()) {
            adapter.start(new Link());
            return;
        }
        connectionDetail = "connecting";
        inbox = new Inbox("switchboard-backplane-delivery-" + nodeId, options.receiveQueueBytes(), listener);
        publisher = daemon("switchboard-backplane-publish-" + nodeId, this::publishLoop);
        inbox.start();
        publisher.start();
        adapter.start(new Link());
        try {
            // So that a started node is up, and its first messages (its cluster heartbeat) go out.
            settled.await(options.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** @return the adapter */
    public Backplane adapter() {
        return adapter;
    }

    /** @return this node's id (a fresh one after a rejoin) */
    public String nodeId() {
        return nodeId;
    }

    /** @return true when there is no other node (nothing is published) */
    public boolean isLocalOnly() {
        return capabilities.localOnly();
    }

    /** @return the adapter's history store, if any */
    public Optional<History> history() {
        return adapter.history();
    }

    /**
     * Queues a message for every node; never blocks.
     *
     * @param message the bytes
     * @throws BackplaneException when the message is larger than the backplane carries
     */
    public void publish(byte[] message) {
        offer(new Outbound(null, message));
    }

    /**
     * Queues a message for one node; never blocks.
     *
     * @param target the node
     * @param message the bytes
     * @throws BackplaneException when the message is larger than the backplane carries
     */
    public void publish(String target, byte[] message) {
        offer(new Outbound(Objects.requireNonNull(target, "target"), message));
    }

    private void offer(Outbound o) {
        int max = capabilities.maxMessageBytes();
        if (max > 0 && o.message().length > max) {
            throw new BackplaneException(ErrorCode.TOO_LARGE, "message of " + o.message().length
                    + " bytes is larger than the " + adapter.name() + " backplane's limit of " + max
                    + " bytes; nothing was sent", null);
        }
        if (capabilities.localOnly()) {
            return;
        }
        if (closed || stopped || publishFailing || !connected) {
            drop(1, null);
            return;
        }
        long size = o.message().length;
        if (outboundBytes.addAndGet(size) > options.publishQueueBytes() && outboundBytes.get() != size) {
            outboundBytes.addAndGet(-size);
            drop(1, "the publish queue is full (" + options.publishQueueBytes() + " bytes)");
            return;
        }
        pending.incrementAndGet();
        if (!outbound.offer(o)) {
            pending.decrementAndGet();
            outboundBytes.addAndGet(-size);
            drop(1, "the publish queue is full (" + options.publishQueueMessages() + " messages)");
        }
    }

    private void drop(int n, String why) {
        long total = dropped.addAndGet(n);
        long now = System.nanoTime();
        if (total == n || now - lastWarn > WARN_EVERY_NANOS) {
            lastWarn = now;
            log.warn("{} backplane of node {} dropped {} message(s), {} so far: {}", adapter.name(), nodeId, n,
                    total, why != null ? why : closed || stopped ? "closed" : health().detail());
        }
    }

    // ---- publishing thread ----

    private void publishLoop() {
        long interval = options.livenessInterval().toNanos();
        beatDue = System.nanoTime();
        while (!closed) {
            try {
                long now = System.nanoTime();
                if (now - beatDue >= 0) {
                    beatDue = now + interval;
                    if (connected && !stopped) {
                        beat();
                    }
                    checkLiveness();
                }
                if (!connected || stopped) {
                    synchronized (wakeup) {
                        if (!connected && !closed) {
                            wakeup.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(beatDue - System.nanoTime())));
                        }
                    }
                    continue;
                }
                Outbound first = outbound.poll(Math.max(1, beatDue - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (first == null) {
                    continue;
                }
                List<Outbound> batch = new ArrayList<>();
                batch.add(first);
                outbound.drainTo(batch, options.publishBatchSize() - 1);
                send(batch);
            } catch (InterruptedException e) {
                if (closed) {
                    return;
                }
            } catch (RuntimeException e) {
                log.error("Backplane publishing thread of node {} failed; going on", nodeId, e);
            }
        }
    }

    private void send(List<Outbound> batch) {
        long bytes = 0;
        for (Outbound o : batch) {
            bytes += o.message().length;
        }
        try {
            adapter.publish(batch);
            published.addAndGet(batch.size());
            if (publishFailing) {
                publishFailing = false;
                log.info("{} backplane of node {} publishes again", adapter.name(), nodeId);
            }
        } catch (Exception e) {
            failed(e);
            drop(batch.size(), "publish failed: " + e);
        } finally {
            outboundBytes.addAndGet(-bytes);
            pending.addAndGet(-batch.size());
        }
    }

    private void failed(Exception e) {
        failureDetail = "publish failed: " + e.getMessage();
        if (!publishFailing) {
            publishFailing = true;
            // Fail fast: what is queued would only fail too, and late.
            List<Outbound> queued = new ArrayList<>();
            outbound.drainTo(queued);
            long bytes = 0;
            for (Outbound o : queued) {
                bytes += o.message().length;
            }
            outboundBytes.addAndGet(-bytes);
            pending.addAndGet(-queued.size());
            if (!queued.isEmpty()) {
                dropped.addAndGet(queued.size());
            }
        }
        try {
            publishFailed.accept(e);
        } catch (RuntimeException ignored) {
            // the listener's problem
        }
    }

    private void beat() {
        String id = nodeId;
        long now = System.nanoTime();
        try {
            adapter.publish(List.of(new Outbound(null, beats.encode(Beats.ALL, id, now)),
                    new Outbound(id, beats.encode(Beats.SELF, id, now))));
            if (publishFailing) {
                publishFailing = false;
                log.info("{} backplane of node {} publishes again", adapter.name(), id);
            }
        } catch (Exception e) {
            if (!publishFailing) {
                log.warn("{} backplane of node {} cannot publish: {}", adapter.name(), id, e.toString());
            }
            failed(e);
        }
    }

    private void checkLiveness() {
        long now = System.nanoTime();
        long timeout = options.livenessTimeout().toNanos();
        if (connected && !stopped && !alive(now) && now - lostAt > timeout && now - lastRenew > timeout) {
            lastRenew = now;
            log.info("{} backplane of node {}: own beats are not coming back; renewing the subscriptions",
                    adapter.name(), nodeId);
            try {
                adapter.renew();
            } catch (RuntimeException e) {
                log.warn("Renewing the {} backplane's subscriptions failed", adapter.name(), e);
            }
        }
        Conflict c = conflict;
        if (c != null && now - c.seenAt() > timeout && !stopped) {
            conflict = null;
            log.info("Node id {} is no longer announced by another node ({}); healthy again", nodeId, c.address());
        }
    }

    private boolean alive(long now) {
        return beats.alive(now, lostAt, options.livenessTimeout().toNanos());
    }

    // ---- receiving ----

    private void received(byte[] message) {
        if (closed || stopped) {
            return;
        }
        if (Beats.isBeat(message)) {
            beatReceived(Beats.parse(message));
            return;
        }
        long n = inbox.offer(message);
        if (n > 0) {
            long now = System.nanoTime();
            if (n == 1 || now - lastWarn > WARN_EVERY_NANOS) {
                lastWarn = now;
                log.warn("{} backplane of node {}: the receive queue is full ({} bytes), dropped received "
                        + "messages, {} so far; the node is slower than the traffic", adapter.name(), nodeId,
                        options.receiveQueueBytes(), n);
            }
        }
    }

    private void beatReceived(Beats.Beat b) {
        if (b == null || !b.nodeId().equals(nodeId)) {
            return;
        }
        if (beats.mine(b)) {
            beats.cameBack(b);
            if (settled.getCount() > 0 && alive(System.nanoTime())) {
                settled.countDown();
            }
        } else if (b.kind() == Beats.ALL) {
            duplicate(new Conflict(b.nodeId(), b.instance(), b.startedAtMillis(), b.address(), System.nanoTime()));
        }
    }

    private void duplicate(Conflict other) {
        Conflict before = conflict;
        conflict = other;
        if (before != null || stopped) {
            return;
        }
        long startedAtMillis = beats.startedAtMillis();
        boolean iAct = startedAtMillis > other.startedAtMillis()
                || (startedAtMillis == other.startedAtMillis() && beats.instance().compareTo(other.instance()) > 0);
        log.error("Node id {} is in use by another live node at {} (started {}, this node started {}): the two "
                + "would silently drop each other's messages. {}", other.nodeId(), other.address(),
                java.time.Instant.ofEpochMilli(other.startedAtMillis()), java.time.Instant.ofEpochMilli(startedAtMillis),
                !iAct ? "That node started later and gives way; this one keeps its id."
                        : onDuplicate == DuplicateNodeIdAction.REJOIN ? "This node rejoins under a fresh id."
                        : "This node leaves the cluster (onDuplicateNodeId=STOP); give every node its own id.");
        if (iAct) {
            Thread t = daemon("switchboard-duplicate-" + other.nodeId(), () -> act(other));
            t.start();
        }
    }

    private synchronized void act(Conflict other) {
        if (closed) {
            return;
        }
        if (onDuplicate == DuplicateNodeIdAction.REJOIN) {
            String fresh = other.nodeId() + "-" + java.util.UUID.randomUUID().toString().substring(0, 4);
            boolean moved;
            try {
                moved = adapter.rename(fresh);
            } catch (RuntimeException e) {
                log.warn("The {} backplane could not move node {} to {}", adapter.name(), other.nodeId(), fresh, e);
                moved = false;
            }
            if (moved) {
                beats.forget(System.nanoTime());
                nodeId = fresh;
                conflict = null;
                log.error("Node {} rejoined the cluster as {}", other.nodeId(), fresh);
                renamed.accept(fresh);
                return;
            }
            log.error("The {} backplane cannot move a node to a fresh id; node {} leaves the cluster instead",
                    adapter.name(), other.nodeId());
        }
        stopped = true;
        connected = false;
        outbound.clear();
        pending.set(0);
        outboundBytes.set(0);
        inbox.clear();
        adapter.close();
    }

    // ---- health ----

    /** @return the state from memory (never blocks), with the count of dropped outbound messages */
    public BackplaneHealth health() {
        String name = adapter.name();
        if (capabilities.localOnly()) {
            return new BackplaneHealth(!closed, name, closed ? "closed" : "", 0);
        }
        long now = System.nanoTime();
        boolean up = false;
        String detail;
        Conflict c = conflict;
        if (closed) {
            detail = "closed";
        } else if (stopped) {
            detail = "left the cluster: node id " + nodeId + " is in use by another node"
                    + (c != null ? " at " + c.address() + " (started " + java.time.Instant.ofEpochMilli(c.startedAtMillis()) + ")" : "");
        } else if (!started) {
            detail = "not started";
        } else if (c != null) {
            detail = "node id " + nodeId + " is in use by another live node at " + c.address() + " (started "
                    + java.time.Instant.ofEpochMilli(c.startedAtMillis()) + ")";
        } else if (!connected) {
            detail = connectionDetail;
        } else if (publishFailing) {
            detail = failureDetail;
        } else if (!alive(now)) {
            detail = connectionDetail + "; waiting for this node's liveness beats to come back";
        } else {
            up = true;
            detail = connectionDetail;
        }
        long rd = inbox == null ? 0 : inbox.dropped();
        if (rd > 0) {
            detail += "; " + rd + " received messages dropped (receive queue full)";
        }
        return new BackplaneHealth(up, name, detail, dropped.get());
    }

    /**
     * Gives what is queued (a node's last messages and its goodbye) up to {@link #FLUSH_MILLIS} to go out
     * while the backplane is up, then stops both threads (what is left is dropped) and closes the adapter.
     * Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed || closing) {
                return;
            }
            closing = true;
        }
        flush();
        synchronized (this) {
            closed = true;
        }
        synchronized (wakeup) {
            wakeup.notifyAll();
        }
        if (inbox != null) {
            inbox.close();
        }
        Thread p = publisher;
        if (p != null) {
            p.interrupt();
        }
        adapter.close();
    }

    private void flush() {
        if (publisher == null || stopped) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FLUSH_MILLIS);
        while (pending.get() > 0 && connected && !publishFailing && System.nanoTime() < deadline) {
            // The publishing thread signals nothing per batch; a short poll is enough at shutdown.
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    /** The adapter's view of the pipeline. */
    private final class Link implements BackplaneLink {
        private final ReconnectBackoff backoff = ReconnectBackoff.of(options);

        @Override
        public String nodeId() {
            return nodeId;
        }

        @Override
        public void received(byte[] message) {
            BackplanePipeline.this.received(message);
        }

        @Override
        public void connected(String detail) {
            connectionDetail = detail == null ? "" : detail;
            if (!connected) {
                connected = true;
                beatDue = System.nanoTime();
                synchronized (wakeup) {
                    wakeup.notifyAll();
                }
            }
        }

        @Override
        public void disconnected(String detail) {
            connectionDetail = detail == null || detail.isEmpty() ? "disconnected" : detail;
            lostAt = System.nanoTime();
            settled.countDown();
            if (connected) {
                connected = false;
                log.warn("{} backplane of node {} is down: {}", adapter.name(), nodeId, connectionDetail);
            }
        }

        @Override
        public ReconnectBackoff backoff() {
            return backoff;
        }
    }
}
