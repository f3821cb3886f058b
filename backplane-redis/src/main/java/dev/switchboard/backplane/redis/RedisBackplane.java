package dev.switchboard.backplane.redis;

import dev.switchboard.BackplaneException;
import dev.switchboard.backplane.redis.internal.Connector;
import dev.switchboard.backplane.redis.internal.Link;
import dev.switchboard.backplane.redis.internal.RedisHistory;
import dev.switchboard.spi.Backplane;
import dev.switchboard.spi.BackplaneCapabilities;
import dev.switchboard.spi.BackplaneLink;
import dev.switchboard.spi.BackplaneOptions;
import dev.switchboard.spi.History;
import dev.switchboard.spi.Outbound;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Backplane} on Redis pub/sub, with durable-topic {@link History} on Redis Streams; standalone,
 * Sentinel and Cluster (sharded pub/sub on Redis 7+), with Lettuce. One instance per node:
 *
 * <pre>{@code
 * Switchboard board = Switchboard.builder()
 *     .backplane(RedisBackplane.create("redis://127.0.0.1:6379?namespace=shop"))
 *     .build();
 * }</pre>
 *
 * <p>Each node keeps a dedicated pub/sub connection subscribed to {@code <namespace>:all} and
 * {@code <namespace>:node:<nodeId>}, and a separate connection for publishes and history commands. A batch's
 * broadcasts go to the first channel, directed messages to the target node's; all of a batch is pipelined
 * on the command connection and awaited together (each {@code PUBLISH} bounded by
 * {@link RedisBackplaneOptions#publishTimeout()}).
 *
 * <p>The core's pipeline owns the queue, batching, dropping while Redis is down, liveness and health
 * (see {@link BackplaneOptions}). This adapter connects (retrying with the core's backoff while Redis is
 * unreachable, also when it was down at start; Lettuce then reconnects and resubscribes by itself), reports
 * connection changes, renews subscriptions Redis dropped without closing the connection, and replaces a
 * Sentinel link whose master became a replica. Received messages are handed to the core on Lettuce's event
 * loop without blocking it.
 */
public final class RedisBackplane implements Backplane {
    private final RedisBackplaneOptions options;
    private final RedisHistory history;
    private volatile Connector connector;
    private volatile boolean closed;

    private RedisBackplane(RedisBackplaneOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.history = new RedisHistory(this::link, () -> connector == null ? null : connector.lastError(),
                options.channelPrefix(), options.historyTtl() == null ? 0 : options.historyTtl().toMillis(),
                l -> {
                    Connector c = connector;
                    if (c != null) {
                        c.outOfStep(l);
                    }
                });
    }

    /**
     * @param options the options
     * @return a new, unstarted backplane
     */
    public static RedisBackplane create(RedisBackplaneOptions options) {
        return new RedisBackplane(options);
    }

    /**
     * @param uri a Redis URI as described in {@link RedisBackplaneOptions}, options as query parameters
     * @return a new, unstarted backplane
     * @throws IllegalArgumentException when the URI is malformed
     */
    public static RedisBackplane create(String uri) {
        return new RedisBackplane(RedisBackplaneOptions.of(uri));
    }

    @Override
    public String name() {
        return "redis";
    }

    /** @return the options this backplane was created with */
    public RedisBackplaneOptions options() {
        return options;
    }

    @Override
    public BackplaneOptions sharedOptions() {
        return options.backplane();
    }

    @Override
    public BackplaneCapabilities capabilities() {
        return BackplaneCapabilities.defaults().withDurableHistory(true).withPublishesWithoutBlocking(true)
                .withShardedChannels(options.topology() == RedisTopology.CLUSTER
                        && options.pubSubMode() != RedisPubSubMode.CLASSIC);
    }

    /**
     * Starts connecting and subscribing in the background (the core waits for the first attempt); when
     * Redis is unreachable the backplane keeps trying.
     *
     * @throws IllegalStateException when called twice or after {@link #close()}
     */
    @Override
    public synchronized void start(BackplaneLink link) {
        Objects.requireNonNull(link, "link");
        if (connector != null || closed) {
            throw new IllegalStateException(closed ? "closed" : "already started");
        }
        connector = new Connector(options, link);
    }

    @Override
    public void publish(List<Outbound> batch) throws Exception {
        Link l = link();
        if (l == null || closed) {
            throw new BackplaneException(closed ? "Redis backplane closed"
                    : "not connected to " + options.endpoint(), null);
        }
        CompletableFuture<?>[] sent = new CompletableFuture<?>[batch.size()];
        for (int i = 0; i < sent.length; i++) {
            Outbound o = batch.get(i);
            byte[] channel = o.broadcast() ? l.channels().all() : l.channels().node(o.target());
            sent[i] = l.publish(channel, o.message());
        }
        try {
            // Lettuce times each PUBLISH out by itself; the margin only guards against a lost callback.
            CompletableFuture.allOf(sent).get(options.publishTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception c ? c : e;
        }
    }

    /** Queues the {@code PUBLISH} on Lettuce's connection and returns at once; Lettuce times it out by itself. */
    @Override
    public CompletionStage<Void> publishAsync(Outbound o) {
        Link l = link();
        if (l == null || closed) {
            return CompletableFuture.failedFuture(new BackplaneException(closed ? "Redis backplane closed"
                    : "not connected to " + options.endpoint(), null));
        }
        byte[] channel = o.broadcast() ? l.channels().all() : l.channels().node(o.target());
        return l.publish(channel, o.message()).thenApply(receivers -> null);
    }

    @Override
    public void renew() {
        Connector c = connector;
        if (c != null) {
            c.renew();
        }
    }

    @Override
    public boolean rename(String nodeId) {
        Connector c = connector;
        return c != null && c.rename(nodeId);
    }

    private Link link() {
        Connector c = connector;
        return c == null ? null : c.link();
    }

    /** @return the durable-topic history on Redis Streams, shared by every node on the same Redis and namespace */
    @Override
    public Optional<History> history() {
        return Optional.of(history);
    }

    /** Stops delivering at once, closes the connections and releases threads in the background. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (connector != null) {
            connector.close();
        }
    }

    @Override
    public String toString() {
        return "RedisBackplane[" + options.endpoint() + ", namespace " + options.channelPrefix() + "]";
    }
}
