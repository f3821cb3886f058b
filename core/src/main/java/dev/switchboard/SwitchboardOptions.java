package dev.switchboard;

import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * A node's settings. Immutable; build with {@link #builder()}; validated at construction.
 *
 * @param nodeId this node's id in the cluster (default: {@code n-} and 8 random hex digits)
 * @param heartbeat how often the server pings; a client silent for two periods is closed with 4000
 *     (default 25 s)
 * @param maxFrameBytes the largest inbound text frame; larger ones close the connection with 1009
 *     (default 65,536)
 * @param maxQueuedBytes the outbound backlog bound per connection: a connection whose unwritten
 *     frames have reached it when another frame comes is a slow consumer and is closed with 1013; one
 *     frame larger than it is never sent (a reply becomes {@code too_large}), so a connection holds less
 *     than twice this (default 1 MiB)
 * @param requestTimeout the timeout of server→client requests when none is given (default 30 s)
 * @param handlerThreads on Java 17–20, the size of the bounded handler pool (default 4 × CPUs, at
 *     least 8); on Java 21+ handlers run on virtual threads and this is ignored
 * @param handlerQueue on Java 17–20, how many handler tasks may wait; past it a request gets
 *     {@code unavailable} (default 10,000)
 * @param rateLimit inbound frames per second per connection, with a burst of twice that; a client
 *     past it gets {@code rate_limited} and is closed with 1008; 0 disables (default 100)
 * @param clusterHeartbeat how often this node announces itself to the others through the backplane;
 *     a node unheard of for three periods counts as gone (default 5 s)
 * @param clusterQueryTimeout how long a cluster-wide query waits for the other nodes before it
 *     answers with what it has, naming the missing nodes (default 3 s)
 * @param historyTimeout how long an emit to a durable topic waits for the history store to append
 *     it before it fails with {@link BackplaneException} (default 5 s)
 * @param historyCheckInterval how long a durable topic with subscribers on this node may go without a
 *     message before the node compares what it delivered with the history's latest offset and delivers
 *     what it missed (a message lost between nodes is otherwise noticed only when the next one arrives);
 *     one history read per such idle topic per interval; {@link Duration#ZERO} turns it off (default 30 s)
 * @param drainTimeout how long {@link Switchboard#close()} lets requests in flight finish before it closes
 *     the clients with 1012 (see {@link Switchboard#drain}); a shutdown waits at most this plus about 2 s
 *     for the close handshakes (default 10 s)
 * @param onDuplicateNodeId what this node does when another live node announces the same node id on
 *     the backplane (default {@link DuplicateNodeIdAction#STOP})
 */
public record SwitchboardOptions(String nodeId, Duration heartbeat, int maxFrameBytes, long maxQueuedBytes,
                                 Duration requestTimeout, int handlerThreads, int handlerQueue, int rateLimit,
                                 Duration clusterHeartbeat, Duration clusterQueryTimeout, Duration historyTimeout,
                                 Duration historyCheckInterval, Duration drainTimeout,
                                 DuplicateNodeIdAction onDuplicateNodeId) {

    /** Validates every field. */
    public SwitchboardOptions {
        Objects.requireNonNull(nodeId, "nodeId");
        if (nodeId.isBlank() || !nodeId.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("nodeId must be letters, digits, '.', '_' or '-': " + nodeId);
        }
        requirePositive(heartbeat, "heartbeat");
        requirePositive(requestTimeout, "requestTimeout");
        requirePositive(clusterHeartbeat, "clusterHeartbeat");
        requirePositive(clusterQueryTimeout, "clusterQueryTimeout");
        requirePositive(historyTimeout, "historyTimeout");
        Objects.requireNonNull(historyCheckInterval, "historyCheckInterval");
        if (historyCheckInterval.isNegative()) {
            throw new IllegalArgumentException("historyCheckInterval must be >= 0: " + historyCheckInterval);
        }
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        if (drainTimeout.isNegative()) {
            throw new IllegalArgumentException("drainTimeout must be >= 0: " + drainTimeout);
        }
        Objects.requireNonNull(onDuplicateNodeId, "onDuplicateNodeId");
        if (maxFrameBytes < 256) {
            throw new IllegalArgumentException("maxFrameBytes must be at least 256: " + maxFrameBytes);
        }
        if (maxQueuedBytes < maxFrameBytes) {
            throw new IllegalArgumentException("maxQueuedBytes must be at least maxFrameBytes: " + maxQueuedBytes);
        }
        if (handlerThreads < 1 || handlerQueue < 1) {
            throw new IllegalArgumentException("handlerThreads and handlerQueue must be positive");
        }
        if (rateLimit < 0) {
            throw new IllegalArgumentException("rateLimit must be >= 0: " + rateLimit);
        }
    }

    /** @return the defaults */
    public static SwitchboardOptions defaults() {
        return builder().build();
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder starting from these options */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.nodeId = nodeId;
        b.heartbeat = heartbeat;
        b.maxFrameBytes = maxFrameBytes;
        b.maxQueuedBytes = maxQueuedBytes;
        b.requestTimeout = requestTimeout;
        b.handlerThreads = handlerThreads;
        b.handlerQueue = handlerQueue;
        b.rateLimit = rateLimit;
        b.clusterHeartbeat = clusterHeartbeat;
        b.clusterQueryTimeout = clusterQueryTimeout;
        b.historyTimeout = historyTimeout;
        b.historyCheckInterval = historyCheckInterval;
        b.drainTimeout = drainTimeout;
        b.onDuplicateNodeId = onDuplicateNodeId;
        return b;
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }

    /** Builds {@link SwitchboardOptions}; see the record's fields for defaults. */
    public static final class Builder {
        private String nodeId = "n-" + UUID.randomUUID().toString().substring(0, 8);
        private Duration heartbeat = Duration.ofSeconds(25);
        private int maxFrameBytes = 65_536;
        private long maxQueuedBytes = 1 << 20;
        private Duration requestTimeout = Duration.ofSeconds(30);
        private int handlerThreads = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
        private int handlerQueue = 10_000;
        private int rateLimit = 100;
        private Duration clusterHeartbeat = Duration.ofSeconds(5);
        private Duration clusterQueryTimeout = Duration.ofSeconds(3);
        private Duration historyTimeout = Duration.ofSeconds(5);
        private Duration historyCheckInterval = Duration.ofSeconds(30);
        private Duration drainTimeout = Duration.ofSeconds(10);
        private DuplicateNodeIdAction onDuplicateNodeId = DuplicateNodeIdAction.STOP;

        private Builder() {
        }

        /** @param v node id @return this */
        public Builder nodeId(String v) { nodeId = v; return this; }

        /** @param v ping period @return this */
        public Builder heartbeat(Duration v) { heartbeat = v; return this; }

        /** @param v max inbound frame size @return this */
        public Builder maxFrameBytes(int v) { maxFrameBytes = v; return this; }

        /** @param v outbound queue bound per connection @return this */
        public Builder maxQueuedBytes(long v) { maxQueuedBytes = v; return this; }

        /** @param v default server→client request timeout @return this */
        public Builder requestTimeout(Duration v) { requestTimeout = v; return this; }

        /** @param v handler pool size on Java 17–20 @return this */
        public Builder handlerThreads(int v) { handlerThreads = v; return this; }

        /** @param v handler queue length on Java 17–20 @return this */
        public Builder handlerQueue(int v) { handlerQueue = v; return this; }

        /** @param v inbound frames per second per connection, 0 = unlimited @return this */
        public Builder rateLimit(int v) { rateLimit = v; return this; }

        /** @param v how often this node announces itself to the cluster @return this */
        public Builder clusterHeartbeat(Duration v) { clusterHeartbeat = v; return this; }

        /** @param v how long cluster-wide queries wait for other nodes @return this */
        public Builder clusterQueryTimeout(Duration v) { clusterQueryTimeout = v; return this; }

        /** @param v how long a durable emit waits for the history store @return this */
        public Builder historyTimeout(Duration v) { historyTimeout = v; return this; }

        /** @param v how long an idle durable topic waits before its history is checked, 0 = never @return this */
        public Builder historyCheckInterval(Duration v) { historyCheckInterval = v; return this; }

        /** @param v how long a shutdown lets requests in flight finish, 0 for not at all @return this */
        public Builder drainTimeout(Duration v) { drainTimeout = v; return this; }
        /** @param v what to do when another live node has this node's id (default STOP) @return this */
        public Builder onDuplicateNodeId(DuplicateNodeIdAction v) { onDuplicateNodeId = v; return this; }

        /** @return validated options */
        public SwitchboardOptions build() {
            return new SwitchboardOptions(nodeId, heartbeat, maxFrameBytes, maxQueuedBytes, requestTimeout,
                    handlerThreads, handlerQueue, rateLimit, clusterHeartbeat, clusterQueryTimeout, historyTimeout,
                    historyCheckInterval, drainTimeout, onDuplicateNodeId);
        }
    }
}
