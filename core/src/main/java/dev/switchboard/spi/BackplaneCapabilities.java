package dev.switchboard.spi;

/**
 * What a {@link Backplane} declares about itself, so the core need not guess.
 *
 * @param localOnly true when there is no other node to reach: the core then skips encoding cluster
 *     messages and runs no pipeline (the single-node {@code LocalBackplane})
 * @param durableHistory true when {@link Backplane#history()} is shared by every node and outlives a
 *     node (a client can recover its durable topics on another node)
 * @param directed true when a message for one node travels on that node's own channel; false when it
 *     is broadcast and the other nodes drop it
 * @param ordered true when messages of one publisher arrive in publish order
 * @param shardedChannels true when channels are spread over the shards of a cluster (Redis 7 sharded
 *     pub/sub)
 * @param maxMessageBytes the largest message the backplane carries, or 0 for no limit of its own; the
 *     pipeline refuses larger ones with {@link dev.switchboard.BackplaneException} at once
 * @param publishesWithoutBlocking true when {@link Backplane#publishAsync} starts a publish without blocking
 *     (the client library queues the command and completes a future later, as Lettuce does): the pipeline
 *     then sends a message straight from the publishing caller's thread while nothing else is queued or in
 *     flight, one thread hand-off fewer; under load it batches on its publishing thread as before
 */
public record BackplaneCapabilities(boolean localOnly, boolean durableHistory, boolean directed, boolean ordered,
                                    boolean shardedChannels, int maxMessageBytes, boolean publishesWithoutBlocking) {

    /** Validates. */
    public BackplaneCapabilities {
        if (maxMessageBytes < 0) {
            throw new IllegalArgumentException("maxMessageBytes must be >= 0: " + maxMessageBytes);
        }
    }

    /**
     * The capabilities without {@code publishesWithoutBlocking} (false), as before it existed.
     *
     * @param localOnly see the record
     * @param durableHistory see the record
     * @param directed see the record
     * @param ordered see the record
     * @param shardedChannels see the record
     * @param maxMessageBytes see the record
     */
    public BackplaneCapabilities(boolean localOnly, boolean durableHistory, boolean directed, boolean ordered,
                                 boolean shardedChannels, int maxMessageBytes) {
        this(localOnly, durableHistory, directed, ordered, shardedChannels, maxMessageBytes, false);
    }

    /** @return a networked backplane with directed channels, ordered per publisher, no history, no size limit */
    public static BackplaneCapabilities defaults() {
        return new BackplaneCapabilities(false, false, true, true, false, 0, false);
    }

    /** @param v see the record @return a copy */
    public BackplaneCapabilities withDurableHistory(boolean v) {
        return new BackplaneCapabilities(localOnly, v, directed, ordered, shardedChannels, maxMessageBytes,
                publishesWithoutBlocking);
    }

    /** @param v see the record @return a copy */
    public BackplaneCapabilities withLocalOnly(boolean v) {
        return new BackplaneCapabilities(v, durableHistory, directed, ordered, shardedChannels, maxMessageBytes,
                publishesWithoutBlocking);
    }

    /** @param v see the record @return a copy */
    public BackplaneCapabilities withShardedChannels(boolean v) {
        return new BackplaneCapabilities(localOnly, durableHistory, directed, ordered, v, maxMessageBytes,
                publishesWithoutBlocking);
    }

    /** @param v see the record @return a copy */
    public BackplaneCapabilities withMaxMessageBytes(int v) {
        return new BackplaneCapabilities(localOnly, durableHistory, directed, ordered, shardedChannels, v,
                publishesWithoutBlocking);
    }

    /** @param v see the record @return a copy */
    public BackplaneCapabilities withPublishesWithoutBlocking(boolean v) {
        return new BackplaneCapabilities(localOnly, durableHistory, directed, ordered, shardedChannels,
                maxMessageBytes, v);
    }
}
