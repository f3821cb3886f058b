package dev.switchboard.spi;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * Moves opaque bytes between the nodes of a cluster, and nothing else. The core owns the cluster
 * protocol (message types, versions, node ids); a backplane only broadcasts and delivers.
 *
 * <p>Threading: {@link #publish} must not block the caller. The listener may be called on the
 * backplane's I/O thread and must itself not block (the core hands work to its executor).
 *
 * <p>Delivery: at most once, in publish order per publishing node. While the backplane's server is
 * unreachable, {@link #publish} fails fast (throwing {@link dev.switchboard.BackplaneException}) or
 * drops the message, counting it in {@link BackplaneHealth#droppedMessages()}; the backplane reconnects
 * and resubscribes by itself. Every implementation passes {@code BackplaneCompatibilityKit}.
 */
public interface Backplane extends AutoCloseable {

    /**
     * Starts the backplane and begins delivering what other nodes publish. Messages this node
     * published itself may or may not be delivered back; the core ignores its own.
     *
     * @param nodeId this node's id
     * @param listener receives every message published by other nodes
     */
    void start(String nodeId, Consumer<byte[]> listener);

    /**
     * Sends a message to every node (including, possibly, this one).
     *
     * @param message the bytes; not modified after the call
     */
    void publish(byte[] message);

    /**
     * Sends a message to one node. The default broadcasts it; receivers drop what is not for them.
     *
     * @param nodeId the target node
     * @param message the bytes
     */
    default void publish(String nodeId, byte[] message) {
        publish(message);
    }

    /**
     * @return the backplane's state for health reporting, answered from its last known state (never
     *     blocks), including the count of messages it dropped
     */
    BackplaneHealth health();

    /**
     * The shared store of durable topics, when the backplane has one (Redis Streams, a Postgres table,
     * a MongoDB collection). Without one the core keeps durable topics in a bounded in-memory log on
     * each node, which is right for one node but cannot recover a client that moves to another node.
     *
     * @return the history store, or empty
     */
    default Optional<History> history() {
        return Optional.empty();
    }

    /** @return true when there is no other node to reach (the core then skips encoding for the backplane) */
    default boolean isLocalOnly() {
        return false;
    }

    /** Stops delivering and releases resources. Idempotent. */
    @Override
    void close();
}
