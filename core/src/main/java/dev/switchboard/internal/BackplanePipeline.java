package dev.switchboard.internal;

import dev.switchboard.BackplaneException;
import dev.switchboard.ClusterTrust;
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
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
 *       {@link BackplaneOptions#publishBatchSize()} — except that, for an adapter that
 *       {@link BackplaneCapabilities#publishesWithoutBlocking() publishes without blocking}, a message
 *       published while nothing is queued or in flight goes to {@link Backplane#publishAsync} at once, on
 *       the caller's thread (one hand-off fewer for a quiet node; under load everything is batched). While the backplane is down (not connected yet, the
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
 *   <li><b>Trust</b>: with a {@link ClusterTrust} key every message (beats included) is signed as it is
 *       handed to the adapter, and every received one is verified before anything reads it
 *       ({@link ClusterSigner}); what fails is dropped and counted ({@link dev.switchboard.Cluster#untrustedMessages()}).</li>
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
    private final Consumer<Throwable> publishFailed;
    private final Consumer<String> renamed;
    private final Beats beats = new Beats();
    private final DuplicateIds duplicates;
    private final PublishQueue outbound;
    private final ClusterSigner signer;
    private final AtomicLong dropped = new AtomicLong();
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
    private volatile boolean stopped;
    /** While the adapter publishes without blocking: an idle pipeline sends from the caller's thread. */
    private volatile boolean sendsAlone;
    private Thread publisher;
    private volatile Inbox inbox;

    /**
     * @param adapter the technology adapter
     * @param onDuplicate what to do when another live node has this node's id
     * @param publishFailed told of every failed batch (the event listener's hook)
     * @param renamed told of the node's fresh id after a {@link DuplicateNodeIdAction#REJOIN}
     * @param trust the keys that sign and verify messages ({@link ClusterTrust#none()} for none)
     */
    public BackplanePipeline(Backplane adapter, DuplicateNodeIdAction onDuplicate, Consumer<Throwable> publishFailed,
                             Consumer<String> renamed, ClusterTrust trust) {
        this.adapter = Objects.requireNonNull(adapter, "adapter");
        this.options = Objects.requireNonNull(adapter.sharedOptions(), "options");
        this.capabilities = Objects.requireNonNull(adapter.capabilities(), "capabilities");
        this.publishFailed = Objects.requireNonNull(publishFailed, "publishFailed");
        this.renamed = Objects.requireNonNull(renamed, "renamed");
        this.duplicates = new DuplicateIds(beats, Objects.requireNonNull(onDuplicate, "onDuplicate"));
        this.outbound = new PublishQueue(options.publishQueueMessages(), options.publishQueueBytes());
        this.signer = new ClusterSigner(Objects.requireNonNull(trust, "trust"), System::currentTimeMillis, this::nodeId);
        this.sendsAlone = capabilities.publishesWithoutBlocking();
    }

    /** @param adapter the adapter @return a pipeline that stops on a duplicate id and tells no one else */
    public static BackplanePipeline of(Backplane adapter) {
        return of(adapter, ClusterTrust.none());
    }

    /** @param adapter the adapter @param trust the keys @return a pipeline that stops on a duplicate id */
    public static BackplanePipeline of(Backplane adapter, ClusterTrust trust) {
        return new BackplanePipeline(adapter, DuplicateNodeIdAction.STOP, e -> { }, id -> { }, trust);
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
    public void start(String nodeId, Consumer<byte[]> listener) {
        Objects.requireNonNull(listener, "listener");
        start(nodeId, (m, trusted) -> listener.accept(m));
    }

    /** As {@link #start(String, Consumer)}, telling the listener whether each message may speak for a node. */
    synchronized void start(String nodeId, Inbox.Listener listener) {
        if (started || closed) {
            throw new IllegalStateException(closed ? "closed" : "already started");
        }
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(listener, "listener");
        started = true;
        if (capabilities.localOnly()) {
            adapter.start(link());
            return;
        }
        signer.warnIfUnauthenticated(adapter.name());
        connectionDetail = "connecting";
        inbox = new Inbox("switchboard-backplane-delivery-" + nodeId, options.receiveQueueBytes(), listener,
                adapter.name() + " backplane of node " + nodeId);
        publisher = daemon("switchboard-backplane-publish-" + nodeId, this::publishLoop);
        inbox.start();
        publisher.start();
        adapter.start(link());
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

    /** @return what signs this node's messages and verifies (and counts) what it receives */
    ClusterSigner signer() {
        return signer;
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
        if (max > 0 && o.message().length + signer.overhead() > max) {
            throw new BackplaneException(ErrorCode.TOO_LARGE, "message of " + o.message().length
                    + " bytes (and " + signer.overhead() + " of signature) is larger than the " + adapter.name()
                    + " backplane's limit of " + max + " bytes; nothing was sent", null);
        }
        if (capabilities.localOnly()) {
            return;
        }
        if (closed || stopped || publishFailing || !connected) {
            drop(1, null);
            return;
        }
        if (sendsAlone && outbound.takeAlone(o) && sendAlone(o)) {
            return;
        }
        String full = outbound.offer(o);
        if (full != null) {
            drop(1, full);
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
                List<Outbound> batch = outbound.next(beatDue - System.nanoTime(), options.publishBatchSize());
                if (batch != null) {
                    send(batch);
                }
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
        try {
            adapter.publish(signer.sign(batch)); // the one point where messages leave: signed as late as can be
            if (publishFailing) {
                publishFailing = false;
                log.info("{} backplane of node {} publishes again", adapter.name(), nodeId);
            }
        } catch (Exception e) {
            dropFailed(batch.size(), e);
        } finally {
            outbound.done(batch);
        }
    }

    /**
     * Sends a message taken by {@link PublishQueue#takeAlone} on this (the publishing caller's) thread.
     *
     * @return false when the adapter does not implement {@link Backplane#publishAsync} after all (a wrapper
     *     that forwards the capabilities but not the method): the message was handed back, and from now on
     *     every message goes through the publishing thread
     */
    private boolean sendAlone(Outbound o) {
        java.util.concurrent.CompletionStage<Void> sent;
        try {
            sent = adapter.publishAsync(signer.sign(List.of(o)).get(0));
        } catch (UnsupportedOperationException e) {
            sendsAlone = false;
            outbound.sentAlone(o);
            log.info("{} backplane of node {} declares publishesWithoutBlocking but does not implement "
                    + "publishAsync; publishing through the pipeline's thread only", adapter.name(), nodeId);
            return false;
        } catch (RuntimeException e) {
            sent = java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((ok, e) -> {
            outbound.sentAlone(o);
            if (e != null) {
                Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                        ? e.getCause() : e;
                dropFailed(1, cause instanceof Exception x ? x : new BackplaneException(cause.toString(), cause));
            }
        });
        return true;
    }

    /** A publish of {@code n} messages failed: they are dropped and counted, and the pipeline fails fast. */
    private void dropFailed(int n, Exception e) {
        failed(e);
        drop(n, "publish failed: " + e);
    }

    private void failed(Exception e) {
        failureDetail = "publish failed: " + e.getMessage();
        if (!publishFailing) {
            publishFailing = true;
            // Fail fast: what is queued would only fail too, and late.
            dropped.addAndGet(outbound.clear());
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
            adapter.publish(signer.sign(List.of(new Outbound(null, beats.encode(Beats.ALL, id, now)),
                    new Outbound(id, beats.encode(Beats.SELF, id, now)))));
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
        if (!stopped) {
            duplicates.expire(now, timeout);
        }
    }

    private boolean alive(long now) {
        return beats.alive(now, lostAt, options.livenessTimeout().toNanos());
    }

    // ---- receiving ----

    private void received(byte[] bytes) {
        if (closed || stopped) {
            return;
        }
        ClusterSigner.Admitted admitted = signer.admit(bytes);
        if (admitted == null) {
            return;
        }
        byte[] message = admitted.message();
        if (Beats.isBeat(message)) {
            if (admitted.trusted()) {
                beatReceived(Beats.parse(message));
            } else {
                signer.drop("an unsigned liveness beat");
            }
            return;
        }
        inbox.offer(message, admitted.trusted());
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
            DuplicateIds.Conflict other = duplicates.seen(b, stopped);
            if (other != null) {
                daemon("switchboard-duplicate-" + other.nodeId(), () -> act(other)).start();
            }
        }
    }

    private synchronized void act(DuplicateIds.Conflict other) {
        if (closed) {
            return;
        }
        String fresh = duplicates.rejoin(adapter, other);
        if (fresh != null) {
            nodeId = fresh;
            renamed.accept(fresh);
            return;
        }
        stopped = true;
        connected = false;
        outbound.clear();
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
        DuplicateIds.Conflict c = duplicates.current();
        if (closed) {
            detail = "closed";
        } else if (stopped) {
            detail = "left the cluster: node id " + nodeId + " is in use by another node" + (c != null ? " " + c.where() : "");
        } else if (!started) {
            detail = "not started";
        } else if (c != null) {
            detail = "node id " + nodeId + " is in use by another live node " + c.where();
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
        outbound.awaitSent(FLUSH_MILLIS, () -> connected && !publishFailing);
    }

    private void up(String detail) {
        connectionDetail = detail == null ? "" : detail;
        if (!connected) {
            connected = true;
            beatDue = System.nanoTime();
            synchronized (wakeup) {
                wakeup.notifyAll();
            }
        }
    }

    private void down(String detail) {
        connectionDetail = detail == null || detail.isEmpty() ? "disconnected" : detail;
        lostAt = System.nanoTime();
        settled.countDown();
        if (connected) {
            connected = false;
            log.warn("{} backplane of node {} is down: {}", adapter.name(), nodeId, connectionDetail);
        }
    }

    private BackplaneLink link() {
        return new PipelineLink(this::nodeId, this::received, this::up, this::down, ReconnectBackoff.of(options));
    }
}
