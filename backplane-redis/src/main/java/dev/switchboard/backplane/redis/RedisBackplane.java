package dev.switchboard.backplane.redis;

import dev.switchboard.backplane.redis.internal.Connector;
import dev.switchboard.backplane.redis.internal.Delivery;
import dev.switchboard.backplane.redis.internal.Link;
import dev.switchboard.backplane.redis.internal.RedisHistory;
import dev.switchboard.spi.Backplane;
import dev.switchboard.spi.BackplaneHealth;
import dev.switchboard.spi.History;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Backplane} on Redis pub/sub, with durable-topic {@link History} on Redis Streams; standalone,
 * Sentinel and Cluster (sharded pub/sub on Redis 7+), with Lettuce. One instance per node:
 *
 * <pre>{@code
 * Switchboard board = Switchboard.builder()
 *     .backplane(RedisBackplane.create("redis://127.0.0.1:6379?channelPrefix=shop"))
 *     .build();
 * }</pre>
 *
 * <p>Each node keeps a dedicated pub/sub connection subscribed to {@code <prefix>:all} and
 * {@code <prefix>:node:<nodeId>}, and a separate connection for publishes and history commands.
 * {@link #publish(byte[])} sends to the first, {@link #publish(String, byte[])} to the target node's.
 *
 * <p>Outage behaviour (fail fast): while Redis is unreachable {@link #health()} is down with a detail, and
 * {@link #publish} returns at once, dropping the message and counting it in
 * {@link BackplaneHealth#droppedMessages()} (so does a publish Redis does not acknowledge within the
 * publish timeout). Nothing is buffered for later. The backplane reconnects and resubscribes by itself,
 * also when Redis was down at {@link #start}. {@code health().up()} means: subscribed and able to publish,
 * as proved by the backplane's own probe messages within the last few health-check intervals.
 *
 * <p>Threading: {@link #publish} and {@link #health()} never block and never throw for Redis failures. The
 * listener runs on one delivery thread per backplane (never on Lettuce's event loop), in arrival order; an
 * exception it throws is logged and delivery goes on. Received bytes are passed on as they are, whatever
 * they contain.
 */
public final class RedisBackplane implements Backplane {
    private static final Logger log = LoggerFactory.getLogger(RedisBackplane.class);

    private final RedisBackplaneOptions options;
    private final AtomicLong dropped = new AtomicLong();
    private final RedisHistory history;
    private volatile Connector connector;
    private volatile Delivery delivery;
    private volatile boolean closed;
    private volatile long lastWarn;

    private RedisBackplane(RedisBackplaneOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.history = new RedisHistory(this::link, () -> connector == null ? null : connector.lastError(),
                options.channelPrefix(), options.historyTtl() == null ? 0 : options.historyTtl().toMillis());
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

    /** @return the options this backplane was created with */
    public RedisBackplaneOptions options() {
        return options;
    }

    /**
     * Starts connecting and subscribing. Waits at most {@link RedisBackplaneOptions#startTimeout()} for the
     * first connection attempt to finish, and returns whether it succeeded or not: when Redis is unreachable
     * the backplane keeps trying in the background and {@link #health()} stays down until it is subscribed.
     *
     * @param nodeId this node's id
     * @param listener receives every message that reaches this node's channels
     * @throws IllegalStateException when called twice or after {@link #close()}
     */
    @Override
    public synchronized void start(String nodeId, Consumer<byte[]> listener) {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(listener, "listener");
        if (connector != null || closed) {
            throw new IllegalStateException(closed ? "closed" : "already started");
        }
        delivery = new Delivery("switchboard-redis-delivery-" + nodeId, listener, options.maxDeliveryQueueBytes());
        connector = new Connector(options, nodeId, delivery);
        try {
            connector.awaitFirstAttempt(options.startTimeout().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void publish(byte[] message) {
        Objects.requireNonNull(message, "message");
        Link l = link();
        send(l, l == null ? null : l.channels().all(), message);
    }

    @Override
    public void publish(String nodeId, byte[] message) {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(message, "message");
        Link l = link();
        send(l, l == null ? null : l.channels().node(nodeId), message);
    }

    private void send(Link l, byte[] channel, byte[] message) {
        if (l == null || closed) {
            dropped(null);
            return;
        }
        CompletableFuture<Long> f;
        try {
            f = l.publish(channel, message);
        } catch (RuntimeException e) {
            dropped(e);
            return;
        }
        f.whenComplete((receivers, e) -> {
            if (e != null) {
                dropped(e);
            }
        });
    }

    private void dropped(Throwable cause) {
        long n = dropped.incrementAndGet();
        long now = System.nanoTime();
        if (n == 1 || now - lastWarn > 10_000_000_000L) {
            lastWarn = now;
            log.warn("Redis backplane dropped a message ({} so far): {}", n,
                    cause != null ? cause.toString() : closed ? "closed" : "not connected to " + options.endpoint());
        }
    }

    private Link link() {
        Connector c = connector;
        return c == null ? null : c.link();
    }

    /** @return the state from memory (never blocks), with the count of dropped messages */
    @Override
    public BackplaneHealth health() {
        Connector c = connector;
        String detail;
        boolean up = false;
        if (closed) {
            detail = "closed";
        } else if (c == null) {
            detail = "not started";
        } else if (c.link() == null) {
            detail = "connecting to " + options.endpoint() + describe(c.lastError());
        } else if (!c.link().isOpen()) {
            detail = "connection to " + options.endpoint() + " lost, reconnecting";
        } else if (!c.confirmed()) {
            detail = "connected to " + options.endpoint() + ", subscription not confirmed yet";
        } else {
            up = true;
            detail = options.endpoint() + ", " + (c.link().sharded() ? "sharded" : "classic") + " pub/sub on "
                    + c.link().channels();
        }
        Delivery d = delivery;
        if (d != null && d.dropped() > 0) {
            detail += "; " + d.dropped() + " received messages dropped (delivery queue full)";
        }
        return new BackplaneHealth(up, "redis", detail, dropped.get());
    }

    private static String describe(Throwable error) {
        return error == null ? "" : ": " + error.getMessage();
    }

    /** @return the durable-topic history on Redis Streams, shared by every node on the same Redis and prefix */
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
        if (delivery != null) {
            delivery.close();
        }
        if (connector != null) {
            connector.close();
        }
    }

    @Override
    public String toString() {
        return "RedisBackplane[" + options.endpoint() + ", prefix " + options.channelPrefix() + "]";
    }
}
