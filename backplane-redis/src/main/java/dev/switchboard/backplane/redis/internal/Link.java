package dev.switchboard.backplane.redis.internal;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.concurrent.CompletableFuture;

/**
 * One established pair of connections to Redis: a dedicated pub/sub connection subscribed to the node's two
 * channels, and a separate connection for publishes and commands. Lettuce renews both after a connection
 * drops (and resubscribes); a link is replaced only when its first connection attempt fails or a Sentinel
 * master turned out to be a replica.
 */
public interface Link {

    /** @return the channels, fixed once connected (their names depend on the pub/sub mode) */
    Channels channels();

    /** @return true when the link uses {@code SPUBLISH}/{@code SSUBSCRIBE} */
    boolean sharded();

    /** @return the command connection's asynchronous API (publishes, history scripts) */
    RedisClusterAsyncCommands<byte[], byte[]> commands();

    /**
     * @param channel the channel
     * @param message the bytes
     * @return completes with the receiver count, or exceptionally; never blocks
     */
    default CompletableFuture<Long> publish(byte[] channel, byte[] message) {
        return (sharded() ? commands().spublish(channel, message) : commands().publish(channel, message))
                .toCompletableFuture();
    }

    /**
     * @param connection a connection of the client that made this link
     * @return true when it carries this link's subscription or commands
     */
    boolean owns(Object connection);

    /** @return true while both connections are connected */
    boolean isOpen();

    /**
     * Called on every health tick: opens connections the link will need (to new cluster masters).
     *
     * @return completes when done; never fails
     */
    default CompletableFuture<Void> maintain() {
        return CompletableFuture.completedFuture(null);
    }

    /** Subscribes to both channels again (idempotent on the server); for subscriptions Redis dropped. */
    void resubscribe();

    /**
     * Moves this node's own channel to a new node id: unsubscribes the old one, subscribes the new one.
     *
     * @param nodeId the new node id
     */
    void move(String nodeId);

    /**
     * @return completes with true when the command connection is no longer talking to the right server (a
     *     Sentinel master that became a replica), so the link must be replaced
     */
    default CompletableFuture<Boolean> misplaced() {
        return CompletableFuture.completedFuture(false);
    }

    /** @return completes when both connections are closed */
    CompletableFuture<Void> closeAsync();
}
