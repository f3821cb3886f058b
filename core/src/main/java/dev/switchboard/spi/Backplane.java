package dev.switchboard.spi;

import java.util.List;
import java.util.Optional;

/**
 * A technology adapter that moves opaque bytes between the nodes of a cluster, and nothing else. The
 * core owns the cluster protocol (message types, versions, node ids) and every policy around it in its
 * backplane pipeline: the bounded outbound queue and its batches, dropping and counting while the
 * backplane is down, the hand-off of received messages to a core thread, liveness (this node's own
 * beats must come back through the backplane), health, and the reconnect backoff (handed to the adapter
 * as {@link BackplaneLink#backoff()}). An adapter implements "connect and subscribe", "publish a batch",
 * optionally a {@link History} store, and says what it cannot do through {@link #capabilities()}.
 *
 * <p>Lifecycle: the core calls {@link #start} once, then {@link #publish} from one thread, one batch at a
 * time (or, for a backplane that says it {@link BackplaneCapabilities#publishesWithoutBlocking() publishes
 * without blocking}, {@link #publishAsync} from the publishing caller's thread when nothing else is in
 * flight), then {@link #close}. One instance per node; instances are not reused after {@code close}.
 *
 * <p>Delivery: at most once, in publish order per publishing node. Every implementation passes
 * {@code BackplaneCompatibilityKit} (testkit), which runs it through the core's pipeline.
 */
public interface Backplane extends AutoCloseable {

    /** @return the backplane's kind for health and logs, e.g. {@code redis}, {@code postgres} */
    String name();

    /**
     * @return the options every backplane shares (queues, batches, backoff, liveness, namespace), as this
     *     backplane was configured with them; the default is {@link BackplaneOptions#defaults()}
     */
    default BackplaneOptions sharedOptions() {
        return BackplaneOptions.defaults();
    }

    /** @return what this backplane can and cannot do (default {@link BackplaneCapabilities#defaults()}) */
    default BackplaneCapabilities capabilities() {
        return BackplaneCapabilities.defaults();
    }

    /**
     * Starts connecting and subscribing to the broadcast channel and to this node's own channel (named by
     * {@link BackplaneLink#nodeId()}), in the background; retries with {@link BackplaneLink#backoff()}
     * while the server is unreachable. Reports through the link: {@link BackplaneLink#connected} once
     * subscribed and able to publish, {@link BackplaneLink#disconnected} when that is no longer so, and
     * every received message to {@link BackplaneLink#received}. May wait up to
     * {@link BackplaneOptions#startTimeout()} for the first attempt; never longer.
     *
     * @param link the core's side: node id, callbacks, backoff
     * @throws dev.switchboard.BackplaneException when the server can never work (a wrong kind of server)
     */
    void start(BackplaneLink link);

    /**
     * Publishes a batch, in order: each message to every node (including, possibly, this one) or, when it
     * names a target, to that node. Called on the pipeline's publishing thread, never concurrently; may
     * block for the batch's round trip (bounded by the adapter's own timeouts).
     *
     * @param batch one or more messages, at most {@link BackplaneOptions#publishBatchSize()}
     * @throws Exception when the batch (or part of it) could not be sent; the pipeline counts the whole
     *     batch as dropped
     */
    void publish(List<Outbound> batch) throws Exception;

    /**
     * Starts publishing one message without blocking; called instead of {@link #publish} only when
     * {@link BackplaneCapabilities#publishesWithoutBlocking()} says so, and only while no batch is in
     * {@code publish} and no other message in this method's flight, so the order of {@code publish} is kept.
     * It runs on whichever thread published (possibly a transport's I/O thread), so it must never wait.
     * {@link #publish} may be called while such a message is still in flight: the adapter keeps the two in
     * the order of the calls (one connection that pipelines its commands does).
     *
     * @param message the message, signed already
     * @return completed once the backplane took the message, exceptionally when it did not (the pipeline
     *     counts it as dropped, as a failed batch)
     * @throws UnsupportedOperationException by default
     */
    default java.util.concurrent.CompletionStage<Void> publishAsync(Outbound message) {
        throw new UnsupportedOperationException(name() + " backplane publishes only in batches");
    }

    /**
     * The shared store of durable topics, when the backplane has one (Redis Streams, a Postgres table, a
     * MongoDB collection). Without one the core keeps durable topics in a bounded in-memory log per node.
     *
     * @return the history store, or empty
     */
    default Optional<History> history() {
        return Optional.empty();
    }

    /**
     * Called by the pipeline when the backplane claims to be connected but this node's own liveness beats
     * stopped coming back (a subscription the server dropped without closing the connection). Subscribe
     * again; must not block. The default does nothing.
     */
    default void renew() {
    }

    /**
     * Moves this node's own channel to a new node id (unsubscribing the old one), for a node that rejoins
     * the cluster under a fresh id after finding its id in use by another node. Must not block.
     *
     * @param nodeId the new node id
     * @return false when this backplane cannot (the node then stops instead); the default
     */
    default boolean rename(String nodeId) {
        return false;
    }

    /** Stops delivering at once and releases resources. Idempotent. */
    @Override
    void close();
}
