package dev.switchboard.backplane.redis.internal;

import dev.switchboard.backplane.redis.RedisPubSubMode;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubListener;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link Link} to Redis Cluster. Sharded: {@code SSUBSCRIBE} is routed by Lettuce to the master that owns
 * the channels' slot (one slot for both, see {@link Channels}) and {@code SPUBLISH} to the same master.
 * Classic: {@code SUBSCRIBE} on the cluster pub/sub connection's default node, {@code PUBLISH} to any
 * master, and Redis carries every message over the cluster bus to every node.
 */
final class ClusterLink implements Link {
    private static final Pattern VERSION = Pattern.compile("redis_version:(\\d+)");

    private final StatefulRedisClusterPubSubConnection<byte[], byte[]> sub;
    private final StatefulRedisClusterConnection<byte[], byte[]> cmd;
    private final Channels channels;
    private final boolean sharded;

    private ClusterLink(StatefulRedisClusterPubSubConnection<byte[], byte[]> sub,
                        StatefulRedisClusterConnection<byte[], byte[]> cmd, Channels channels, boolean sharded) {
        this.sub = sub;
        this.cmd = cmd;
        this.channels = channels;
        this.sharded = sharded;
    }

    /**
     * Discovers the cluster, picks the pub/sub mode, opens both connections and subscribes.
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
        CompletableFuture<StatefulRedisClusterConnection<byte[], byte[]>> cmd =
                client.connectAsync(ByteArrayCodec.INSTANCE);
        CompletableFuture<StatefulRedisClusterPubSubConnection<byte[], byte[]>> sub =
                cmd.thenCompose(c -> client.connectPubSubAsync(ByteArrayCodec.INSTANCE));
        CompletableFuture<Boolean> sharded = cmd.thenCompose(c -> switch (mode) {
            case SHARDED -> CompletableFuture.completedFuture(true);
            case CLASSIC -> CompletableFuture.completedFuture(false);
            case AUTO -> c.async().info("server").toCompletableFuture().thenApply(ClusterLink::supportsSharded);
        });
        CompletableFuture<Link> linked = sub.thenCombine(sharded, (s, sh) -> {
            s.addListener(listener);
            return new ClusterLink(s, cmd.join(), new Channels(prefix, nodeId, sh), sh);
        });
        CompletableFuture<Link> subscribed = linked.thenCompose(link -> {
            ClusterLink l = (ClusterLink) link;
            return l.subscribe().thenApply(v -> link);
        });
        return Links.closeOnFailure(subscribed, sub, cmd);
    }

    static boolean supportsSharded(String info) {
        Matcher m = VERSION.matcher(info);
        return m.find() && Integer.parseInt(m.group(1)) >= 7;
    }

    private CompletableFuture<Void> subscribe() {
        return (sharded ? sub.async().ssubscribe(channels.all(), channels.own())
                : sub.async().subscribe(channels.all(), channels.own())).toCompletableFuture();
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
        // Shard subscriptions live on per-node pub/sub connections that Lettuce opens behind the cluster one.
        return connection == sub || connection == cmd
                || connection instanceof io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
    }

    @Override
    public boolean isOpen() {
        return sub.isOpen() && cmd.isOpen();
    }

    @Override
    public void resubscribe() {
        // Routed by the current slot map: after a slot moved, this reaches the shard's new master.
        subscribe();
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        return CompletableFuture.allOf(sub.closeAsync(), cmd.closeAsync());
    }
}
