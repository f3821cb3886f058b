package dev.switchboard.backplane.redis.internal;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.concurrent.CompletableFuture;

/** A {@link Link} to one Redis server, or to the master that Sentinel names (classic pub/sub). */
final class StandaloneLink implements Link {
    private final StatefulRedisPubSubConnection<byte[], byte[]> sub;
    private final StatefulRedisConnection<byte[], byte[]> cmd;
    private final Channels channels;
    private final boolean sentinel;

    private StandaloneLink(StatefulRedisPubSubConnection<byte[], byte[]> sub, StatefulRedisConnection<byte[], byte[]> cmd,
                           Channels channels, boolean sentinel) {
        this.sub = sub;
        this.cmd = cmd;
        this.channels = channels;
        this.sentinel = sentinel;
    }

    /**
     * Opens both connections and subscribes.
     *
     * @param client the client
     * @param uri the server's (or the Sentinels') URI
     * @param channels the channels to subscribe to
     * @param listener receives messages and subscription notices on Lettuce's event loop
     * @param sentinel whether the URI goes through Sentinel
     * @return completes with the subscribed link, or exceptionally (nothing left open)
     */
    static CompletableFuture<Link> connect(RedisClient client, RedisURI uri, Channels channels,
                                           RedisPubSubListener<byte[], byte[]> listener, boolean sentinel) {
        CompletableFuture<StatefulRedisPubSubConnection<byte[], byte[]>> sub =
                client.connectPubSubAsync(ByteArrayCodec.INSTANCE, uri).toCompletableFuture();
        CompletableFuture<StatefulRedisConnection<byte[], byte[]>> cmd =
                client.connectAsync(ByteArrayCodec.INSTANCE, uri).toCompletableFuture();
        CompletableFuture<Link> linked = sub.thenCombine(cmd, (s, c) -> {
            s.addListener(listener);
            return new StandaloneLink(s, c, channels, sentinel);
        });
        CompletableFuture<Link> subscribed = linked.thenCompose(link -> ((StandaloneLink) link).sub.async()
                .subscribe(channels.all(), channels.own()).toCompletableFuture().thenApply(v -> link));
        return Links.closeOnFailure(subscribed, sub, cmd);
    }

    @Override
    public Channels channels() {
        return channels;
    }

    @Override
    public boolean sharded() {
        return false;
    }

    @Override
    public RedisClusterAsyncCommands<byte[], byte[]> commands() {
        return cmd.async();
    }

    @Override
    public boolean owns(Object connection) {
        return connection == sub || connection == cmd;
    }

    @Override
    public boolean isOpen() {
        return sub.isOpen() && cmd.isOpen();
    }

    @Override
    public void resubscribe() {
        sub.async().subscribe(channels.all(), channels.own());
    }

    @Override
    public void move(String nodeId) {
        byte[] old = channels.rename(nodeId);
        sub.async().unsubscribe(old);
        sub.async().subscribe(channels.all(), channels.own());
    }

    @Override
    public CompletableFuture<Boolean> misplaced() {
        if (!sentinel || !cmd.isOpen()) {
            return CompletableFuture.completedFuture(false);
        }
        // After a failover the old master may live on as a replica without dropping our connections; a
        // PUBLISH there reaches only that replica's subscribers, so such a link must be replaced.
        return cmd.async().info("replication").toCompletableFuture()
                .thenApply(info -> !info.contains("role:master"));
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        return CompletableFuture.allOf(sub.closeAsync(), cmd.closeAsync());
    }
}
