package dev.switchboard.backplane.redis.internal;

import dev.switchboard.backplane.redis.RedisBackplaneOptions;
import dev.switchboard.backplane.redis.RedisTopology;
import dev.switchboard.spi.BackplaneLink;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.resource.ClientResources;
import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one backplane connected: makes the first connection (retrying with the core's backoff while Redis
 * is unreachable, since Lettuce reconnects only connections that once succeeded), reports connection
 * changes to the core, renews subscriptions when the core's liveness beats stop coming back, replaces a
 * Sentinel link whose master became a replica, and hands what the pub/sub connection receives to the core.
 *
 * <p>Threading: Lettuce callbacks only hand work on (to the core, which queues it, or to this class's
 * single scheduler thread); nothing here blocks an event loop.
 */
public final class Connector implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Connector.class);

    private final RedisBackplaneOptions options;
    private final BackplaneLink core;
    private final ClientResources resources;
    private final AbstractRedisClient client;
    private final ScheduledExecutorService scheduler;
    private final io.lettuce.core.RedisURI uri;
    private volatile String nodeId;
    private volatile Link link;
    private volatile Throwable lastError;
    private volatile boolean closed;

    /**
     * Creates the Lettuce client and starts connecting in the background.
     *
     * @param options the options
     * @param core the core's side: node id, callbacks, backoff
     */
    public Connector(RedisBackplaneOptions options, BackplaneLink core) {
        this.options = options;
        this.core = core;
        this.nodeId = core.nodeId();
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
        long interval = options.backplane().livenessInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::tick, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** @return the connected link, or null before the first connection succeeded */
    public Link link() {
        return link;
    }

    /** @return the last connection failure, or null */
    public Throwable lastError() {
        return lastError;
    }

    /** Subscribes again (the core's beats stopped coming back while the connections look fine). */
    public void renew() {
        run(() -> {
            Link l = link;
            if (l != null && !closed) {
                l.resubscribe();
            }
        });
    }

    /**
     * Moves this node's channel to a new node id.
     *
     * @param fresh the new id
     * @return true when the link moved (or there is none yet: the next one uses the new id)
     */
    public boolean rename(String fresh) {
        nodeId = fresh;
        Link l = link;
        if (l != null) {
            l.move(fresh);
        }
        return true;
    }

    private void run(Runnable task) {
        try {
            scheduler.execute(task);
        } catch (RejectedExecutionException closedMeanwhile) {
            // closing
        }
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
            } catch (RejectedExecutionException closedMeanwhile) {
                if (l != null) {
                    l.closeAsync();
                }
            }
        });
    }

    private void connected(Link l, Throwable e) {
        if (closed) {
            if (l != null) {
                l.closeAsync();
            }
            return;
        }
        if (e != null) {
            lastError = unwrap(e);
            int attempts = core.backoff().failures() + 1;
            long delay = core.backoff().nextDelayMillis();
            if (attempts == 1 || attempts % 10 == 0) {
                log.warn("Redis backplane of node {} cannot connect to {} ({}); retrying in the background",
                        nodeId, options.endpoint(), lastError.toString());
            }
            core.disconnected("connecting to " + options.endpoint() + ": " + lastError.getMessage());
            scheduler.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
            return;
        }
        core.backoff().reset();
        lastError = null;
        link = l;
        log.info("Redis backplane of node {} connected to {} ({} pub/sub on {})", nodeId, options.endpoint(),
                l.sharded() ? "sharded" : "classic", l.channels());
        reportIfOpen();
    }

    private void reportIfOpen() {
        Link l = link;
        if (l != null && !closed && l.isOpen()) {
            core.connected(options.endpoint() + ", " + (l.sharded() ? "sharded" : "classic") + " pub/sub on "
                    + l.channels());
        }
    }

    private void tick() {
        try {
            Link l = link;
            if (l == null || closed) {
                return;
            }
            l.maintain();
            l.misplaced().whenComplete((wrong, e) -> {
                if (Boolean.TRUE.equals(wrong)) {
                    run(() -> replace(l, "the server behind " + options.endpoint() + " is no longer the master"));
                }
            });
        } catch (RuntimeException e) {
            log.warn("Redis backplane maintenance failed", e);
        }
    }

    /**
     * Replaces a link whose command connection answered a command with another one's answer: nothing it
     * says can be trusted any more. Idempotent; a link already replaced is left alone.
     *
     * @param l the link
     */
    public void outOfStep(Link l) {
        run(() -> replace(l, "the connection to " + options.endpoint() + " answered a command with another "
                + "command's answer"));
    }

    private void replace(Link l, String why) {
        if (link != l || closed) {
            return;
        }
        log.warn("Redis backplane of node {}: {}; reconnecting", nodeId, why);
        link = null;
        core.disconnected(why + ", reconnecting");
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
            if (!closed) {
                core.received(message);
            }
        }

        @Override
        public void subscribed(byte[] channel, long count) {
            reportIfOpen();
        }

        @Override
        public void ssubscribed(byte[] channel, long count) {
            reportIfOpen();
        }

        // A shard subscription Redis dropped (its slot moved) shows as missing liveness beats; the core then
        // asks for renew().
    }

    /** A connection of this link going down means down until it is back. */
    private final class StateListener implements RedisConnectionStateListener {
        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
            run(Connector.this::reportIfOpen);
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            // Short-lived connections (Sentinel look-ups, cluster topology refresh) are not ours to judge by.
            Link l = link;
            if (l != null && l.owns(connection) && !closed) {
                core.disconnected("connection to " + options.endpoint() + " lost, reconnecting");
            }
        }
    }
}
