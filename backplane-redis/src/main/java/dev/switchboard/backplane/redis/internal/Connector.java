package dev.switchboard.backplane.redis.internal;

import dev.switchboard.backplane.redis.RedisBackplaneOptions;
import dev.switchboard.backplane.redis.RedisTopology;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one backplane connected: makes the first connection (retrying with back-off while Redis is
 * unreachable, since Lettuce reconnects only connections that once succeeded), runs the health probes,
 * renews subscriptions that Redis dropped without closing the connection, replaces a Sentinel link whose
 * master became a replica, and routes what the pub/sub connection receives.
 *
 * <p>Threading: Lettuce callbacks only queue work (to {@link Delivery} or to this class's single scheduler
 * thread); nothing here blocks an event loop.
 */
public final class Connector implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Connector.class);

    private final RedisBackplaneOptions options;
    private final String nodeId;
    private final Delivery delivery;
    private final Probes probes = new Probes();
    private final ClientResources resources;
    private final AbstractRedisClient client;
    private final ScheduledExecutorService scheduler;
    private final Delay backoff;
    private final long staleNanos;
    private final io.lettuce.core.RedisURI uri;
    private final CountDownLatch firstAttempt = new CountDownLatch(1);
    private final AtomicBoolean probeQueued = new AtomicBoolean();
    private volatile Link link;
    private volatile Throwable lastError;
    private volatile boolean closed;
    private int attempts;
    private long lastResubscribe;

    /**
     * Creates the Lettuce client and starts connecting in the background.
     *
     * @param options the options
     * @param nodeId this node's id
     * @param delivery where received messages go
     */
    public Connector(RedisBackplaneOptions options, String nodeId, Delivery delivery) {
        this.options = options;
        this.nodeId = nodeId;
        this.delivery = delivery;
        this.backoff = LettuceConfig.reconnectDelay(options);
        this.staleNanos = 3 * options.healthCheckInterval().toNanos() + options.publishTimeout().toNanos();
        this.resources = LettuceConfig.resources(options);
        // CLIENT LIST on the server then shows which node a connection belongs to.
        String clientName = "switchboard:" + nodeId.replaceAll("\\s", "_");
        if (options.topology() == RedisTopology.CLUSTER) {
            uri = null;
            RedisClusterClient c = RedisClusterClient.create(resources, LettuceConfig.clusterUris(options, clientName));
            c.setOptions(LettuceConfig.clusterClientOptions(options));
            client = c;
        } else {
            uri = LettuceConfig.uri(options, clientName);
            RedisClient c = RedisClient.create(resources, uri);
            c.setOptions(LettuceConfig.clientOptions(options));
            client = c;
        }
        client.addListener(new StateListener());
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switchboard-redis-" + nodeId);
            t.setDaemon(true);
            return t;
        });
        scheduler.execute(this::connect);
        long interval = options.healthCheckInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::tick, interval, interval, TimeUnit.MILLISECONDS);
    }

    /**
     * @param timeoutMillis how long to wait
     * @return true when the first connection attempt finished (either way) in time
     * @throws InterruptedException if interrupted
     */
    public boolean awaitFirstAttempt(long timeoutMillis) throws InterruptedException {
        return firstAttempt.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** @return the connected link, or null before the first connection succeeded */
    public Link link() {
        return link;
    }

    /** @return the last connection failure, or null */
    public Throwable lastError() {
        return lastError;
    }

    /** @return true when subscribed and able to publish, as the probes last proved */
    public boolean confirmed() {
        Link l = link;
        return l != null && l.isOpen() && probes.confirmed(staleNanos);
    }

    private void connect() {
        if (closed) {
            return;
        }
        CompletableFuture<Link> attempt;
        try {
            Subscriber subscriber = new Subscriber();
            attempt = client instanceof RedisClusterClient c
                    ? ClusterLink.connect(c, options.channelPrefix(), nodeId, options.pubSubMode(), subscriber)
                    : StandaloneLink.connect((RedisClient) client, uri, new Channels(options.channelPrefix(), nodeId,
                            false), subscriber, options.topology() == RedisTopology.SENTINEL);
        } catch (RuntimeException e) {
            attempt = CompletableFuture.failedFuture(e);
        }
        attempt.whenComplete((l, e) -> {
            try {
                scheduler.execute(() -> connected(l, e));
            } catch (java.util.concurrent.RejectedExecutionException closedMeanwhile) {
                if (l != null) {
                    l.closeAsync();
                }
            }
        });
    }

    private void connected(Link l, Throwable e) {
        firstAttempt.countDown();
        if (closed) {
            if (l != null) {
                l.closeAsync();
            }
            return;
        }
        if (e != null) {
            lastError = unwrap(e);
            long delay = backoff.createDelay(++attempts).toMillis();
            if (attempts == 1 || attempts % 10 == 0) {
                log.warn("Redis backplane of node {} cannot connect to {} ({}); retrying in the background",
                        nodeId, options.endpoint(), lastError.toString());
            }
            scheduler.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
            return;
        }
        attempts = 0;
        lastError = null;
        link = l;
        log.info("Redis backplane of node {} connected to {} ({} pub/sub on {})", nodeId, options.endpoint(),
                l.sharded() ? "sharded" : "classic", l.channels());
        probe();
    }

    /** Publishes probes now (at most one queued request at a time). */
    private void probeSoon() {
        if (!closed && probeQueued.compareAndSet(false, true)) {
            scheduler.execute(() -> {
                probeQueued.set(false);
                probe();
            });
        }
    }

    private void probe() {
        Link l = link;
        if (l == null || closed) {
            return;
        }
        l.publish(l.channels().all(), probes.probe(Probes.ALL));
        l.publish(l.channels().own(), probes.probe(Probes.NODE));
    }

    private void tick() {
        try {
            Link l = link;
            if (l == null || closed) {
                return;
            }
            l.maintain();
            probe();
            long now = System.nanoTime();
            if (l.isOpen() && probes.silentNanos() > staleNanos && now - lastResubscribe > staleNanos) {
                // Redis can drop a subscription without closing the connection (a shard's slot moved); probes
                // that do not come back while the connections are up mean exactly that.
                lastResubscribe = now;
                log.info("Redis backplane of node {}: probes not coming back, subscribing again", nodeId);
                l.resubscribe();
            }
            l.misplaced().whenComplete((wrong, e) -> {
                if (Boolean.TRUE.equals(wrong)) {
                    scheduler.execute(() -> replace(l));
                }
            });
        } catch (RuntimeException e) {
            log.warn("Redis backplane health check failed", e);
        }
    }

    private void replace(Link l) {
        if (link != l || closed) {
            return;
        }
        log.warn("Redis backplane of node {}: the server behind {} is no longer the master; reconnecting",
                nodeId, options.endpoint());
        link = null;
        probes.lost();
        l.closeAsync();
        connect();
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.CompletionException
                || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Closes the connections and releases the client's threads, without waiting for them. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        scheduler.shutdownNow();
        Link l = link;
        CompletableFuture<Void> closing = l == null ? CompletableFuture.completedFuture(null) : l.closeAsync();
        closing.handle((v, e) -> client.shutdownAsync(0, 2, TimeUnit.SECONDS))
                .thenCompose(f -> f)
                .handle((v, e) -> resources.shutdown(0, 2, TimeUnit.SECONDS));
    }

    /** Receives on Lettuce's event loop: only hands messages on. */
    private final class Subscriber extends RedisPubSubAdapter<byte[], byte[]> {
        @Override
        public void message(byte[] channel, byte[] message) {
            received(message);
        }

        @Override
        public void smessage(byte[] channel, byte[] message) {
            received(message);
        }

        private void received(byte[] message) {
            if (Probes.isProbe(message)) {
                probes.received(message);
            } else {
                delivery.offer(message);
            }
        }

        @Override
        public void subscribed(byte[] channel, long count) {
            probeSoon();
        }

        @Override
        public void ssubscribed(byte[] channel, long count) {
            probeSoon();
        }

        @Override
        public void sunsubscribed(byte[] channel, long count) {
            // Redis drops shard subscriptions when their slot moves; the next tick renews them.
            probes.lost();
        }
    }

    /** Any connection of this client going down voids the probes' proof until a new probe comes back. */
    private final class StateListener implements RedisConnectionStateListener {
        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
            probeSoon();
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            // Short-lived connections (Sentinel look-ups, cluster topology refresh) are not ours to judge by.
            Link l = link;
            if (l != null && l.owns(connection)) {
                probes.lost();
            }
        }
    }
}
