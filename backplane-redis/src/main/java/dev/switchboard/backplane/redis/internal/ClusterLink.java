package dev.switchboard.backplane.redis.internal;

import dev.switchboard.backplane.redis.RedisPubSubMode;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link Link} to Redis Cluster. Both channels hash to one slot (see {@link Channels}).
 *
 * <p>Sharded: the link subscribes with
 * {@code SSUBSCRIBE} on a pub/sub connection to that slot's master, chosen from the current slot map each
 * time it (re)subscribes, and publishes with {@code SPUBLISH}, which Lettuce routes to the same master.
 * Classic: {@code SUBSCRIBE} on the cluster pub/sub connection's default node, {@code PUBLISH} routed to
 * the channels' slot's master, and Redis carries every message over the cluster bus to every node.
 *
 * <p>Commands are rejected while the connection to their node is not up (fail fast), and Lettuce counts a
 * connection still being opened as not up. So the link opens a connection to every master when it
 * connects and again on every health tick ({@link #maintain()}), before any command needs one.
 */
final class ClusterLink implements Link {
    private static final Pattern VERSION = Pattern.compile("redis_version:(\\d+)");

    private final StatefulRedisClusterPubSubConnection<byte[], byte[]> sub;
    private final StatefulRedisClusterConnection<byte[], byte[]> cmd;
    private final Channels channels;
    private final boolean sharded;
    private volatile StatefulRedisPubSubConnection<byte[], byte[]> shard;

    private ClusterLink(StatefulRedisClusterPubSubConnection<byte[], byte[]> sub,
                        StatefulRedisClusterConnection<byte[], byte[]> cmd, Channels channels, boolean sharded) {
        this.sub = sub;
        this.cmd = cmd;
        this.channels = channels;
        this.sharded = sharded;
    }

    /**
     * Discovers the cluster, picks the pub/sub mode, opens the connections and subscribes.
     *
     * @param client the cluster client (seed nodes)
     * @param prefix the channel prefix
     * @param nodeId this node's id
     * @param mode the configured mode
     * @param listener receives messages and subscription notices on Lettuce's event loop
     * @return completes with the subscribed link, or exceptionally (nothing left open)
     */
    static CompletableFuture<Link> connect(RedisClusterClient client, String prefix, String nodeId, RedisPubSubMode mode,
                                           RedisPubSubListener<byte[], byte[]> listener) {
        // The asynchronous connect needs the slot map first (the synchronous one would block to fetch it).
        CompletableFuture<StatefulRedisClusterConnection<byte[], byte[]>> cmd = client.refreshPartitionsAsync()
                .toCompletableFuture().thenCompose(v -> client.connectAsync(ByteArrayCodec.INSTANCE));
        CompletableFuture<StatefulRedisClusterPubSubConnection<byte[], byte[]>> sub =
                cmd.thenCompose(c -> client.connectPubSubAsync(ByteArrayCodec.INSTANCE));
        CompletableFuture<Boolean> sharded = cmd.thenCompose(c -> switch (mode) {
            case SHARDED -> CompletableFuture.completedFuture(true);
            case CLASSIC -> CompletableFuture.completedFuture(false);
            case AUTO -> c.async().info("server").toCompletableFuture().thenApply(ClusterLink::supportsSharded);
        });
        CompletableFuture<Link> linked = sub.thenCombine(sharded, (s, sh) -> {
            s.addListener(listener);
            return new ClusterLink(s, cmd.join(), new Channels(prefix, nodeId, true), sh);
        });
        CompletableFuture<Link> subscribed = linked.thenCompose(link -> {
            ClusterLink l = (ClusterLink) link;
            return l.maintain().thenCompose(v -> l.subscribe()).thenApply(v -> link);
        });
        return Links.closeOnFailure(subscribed, sub, cmd);
    }

    static boolean supportsSharded(String info) {
        Matcher m = VERSION.matcher(info);
        return m.find() && Integer.parseInt(m.group(1)) >= 7;
    }

    /** @return completes when a connection to every master of the current slot map is open or failed */
    @Override
    public CompletableFuture<Void> maintain() {
        List<CompletableFuture<?>> opening = new ArrayList<>();
        for (RedisClusterNode node : cmd.getPartitions()) {
            if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
                RedisURI uri = node.getUri();
                opening.add(cmd.getConnectionAsync(uri.getHost(), uri.getPort()).handle((c, e) -> null));
            }
        }
        return CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> subscribe() {
        if (!sharded) {
            return sub.async().subscribe(channels.all(), channels.own()).toCompletableFuture();
        }
        RedisClusterNode owner = sub.getPartitions().getMasterBySlot(SlotHash.getSlot(channels.all()));
        if (owner == null) {
            return CompletableFuture.failedFuture(new RedisException("no master serves the slot of "
                    + channels + " (cluster down?)"));
        }
        RedisURI uri = owner.getUri();
        return sub.getConnectionAsync(uri.getHost(), uri.getPort()).thenCompose(node -> {
            StatefulRedisPubSubConnection<byte[], byte[]> previous = shard;
            shard = node;
            if (previous != null && previous != node && previous.isOpen()) {
                // The slot moved: leave the old master, or it would deliver twice should it serve the slot again.
                previous.async().sunsubscribe(channels.all(), channels.own());
            }
            return node.async().ssubscribe(channels.all(), channels.own()).toCompletableFuture();
        });
    }

    @Override
    public Channels channels() {
        return channels;
    }

    @Override
    public boolean sharded() {
        return sharded;
    }

    @Override
    public RedisClusterAsyncCommands<byte[], byte[]> commands() {
        return cmd.async();
    }

    @Override
    public boolean owns(Object connection) {
        return connection == sub || connection == cmd || connection == shard;
    }

    @Override
    public boolean isOpen() {
        StatefulRedisPubSubConnection<byte[], byte[]> s = shard;
        return sub.isOpen() && cmd.isOpen() && (!sharded || s != null && s.isOpen());
    }

    @Override
    public void resubscribe() {
        // Picks the slot's master from the current slot map: after a failover this reaches the new master.
        subscribe();
    }

    @Override
    public void move(String nodeId) {
        byte[] old = channels.rename(nodeId);
        StatefulRedisPubSubConnection<byte[], byte[]> s = shard;
        if (sharded && s != null) {
            s.async().sunsubscribe(old);
        } else if (!sharded) {
            sub.async().unsubscribe(old);
        }
        subscribe();
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        return CompletableFuture.allOf(sub.closeAsync(), cmd.closeAsync());
    }
}
