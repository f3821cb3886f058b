package dev.switchboard.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * The options every backplane shares, with the same name and default on every technology; the core's
 * pipeline applies them. Each backplane's own options record holds one of these
 * ({@code RedisBackplaneOptions.builder().backplane(BackplaneOptions.builder().namespace("shop").build())}),
 * and every backplane URI accepts them as query parameters of the same name, bound by
 * {@link #bind(UriQuery, BackplaneOptions)}. Immutable; validated at construction.
 *
 * @param namespace prefix of every channel, key, table or collection name the backplane derives, so
 *     several applications can share one server; letters, digits, '_', '-', '.' and ':' (default
 *     {@code switchboard}). URI aliases: {@code channelPrefix}
 * @param publishQueueMessages the most messages waiting to be published; past it a publish is dropped
 *     and counted (default 10,000)
 * @param publishQueueBytes the most bytes waiting to be published (default 64 MiB)
 * @param publishBatchSize the most messages handed to the backplane in one batch (default 256)
 * @param receiveQueueBytes the most bytes of received messages waiting for the core's delivery thread;
 *     past it received messages are dropped and counted (default 64 MiB)
 * @param reconnectDelayMin the first delay between reconnect attempts; later ones double, with jitter
 *     (default 100 ms)
 * @param reconnectDelayMax the longest delay between reconnect attempts (default 5 s)
 * @param livenessInterval how often the node publishes a liveness beat to itself, through the broadcast
 *     channel and its own channel (default 1 s)
 * @param livenessMissedBeats how many intervals may pass without this node's own beat coming back before
 *     the backplane counts as down (default 3)
 * @param startTimeout how long starting a node waits for the backplane's first connection attempt; it
 *     never waits for the server to come back (default 5 s)
 */
public record BackplaneOptions(String namespace, int publishQueueMessages, long publishQueueBytes,
                               int publishBatchSize, long receiveQueueBytes, Duration reconnectDelayMin,
                               Duration reconnectDelayMax, Duration livenessInterval, int livenessMissedBeats,
                               Duration startTimeout) {

    /** The default namespace. */
    public static final String DEFAULT_NAMESPACE = "switchboard";

    /**
     * The URI query parameters {@link #bind} takes: the shared options and their older aliases, for
     * modules that must tell them apart from their driver's parameters.
     */
    public static final java.util.Set<String> QUERY_NAMES = java.util.Set.of("namespace", "channelPrefix",
            "publishQueueMessages", "publishQueueSize", "publishQueue", "publishQueueBytes", "publishBatchSize",
            "publishBatch", "receiveQueueBytes", "maxDeliveryQueueBytes", "reconnectDelayMin", "reconnectMin",
            "resumeBackoffMin", "reconnectDelayMax", "reconnectMax", "resumeBackoffMax", "livenessInterval",
            "healthCheckInterval", "probeInterval", "livenessMissedBeats", "startTimeout");

    private static final BackplaneOptions DEFAULTS = builder().build();

    /** Validates. */
    public BackplaneOptions {
        Objects.requireNonNull(namespace, "namespace");
        if (namespace.isEmpty() || !namespace.matches("[A-Za-z0-9_.:-]+")) {
            throw new IllegalArgumentException("namespace must be letters, digits, '_', '-', '.' or ':': \""
                    + namespace + "\"");
        }
        if (publishQueueMessages < 1 || publishQueueBytes < 1 || publishBatchSize < 1 || receiveQueueBytes < 1) {
            throw new IllegalArgumentException("publishQueueMessages, publishQueueBytes, publishBatchSize and "
                    + "receiveQueueBytes must be positive");
        }
        positive(reconnectDelayMin, "reconnectDelayMin");
        positive(reconnectDelayMax, "reconnectDelayMax");
        positive(livenessInterval, "livenessInterval");
        positive(startTimeout, "startTimeout");
        if (reconnectDelayMax.compareTo(reconnectDelayMin) < 0) {
            throw new IllegalArgumentException("reconnectDelayMax < reconnectDelayMin");
        }
        if (livenessMissedBeats < 1) {
            throw new IllegalArgumentException("livenessMissedBeats must be >= 1: " + livenessMissedBeats);
        }
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }

    /** @return every default */
    public static BackplaneOptions defaults() {
        return DEFAULTS;
    }

    /** @return a builder with every default */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these options */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** @return how long this node's beats may stay away before the backplane counts as down */
    public Duration livenessTimeout() {
        return livenessInterval.multipliedBy(livenessMissedBeats);
    }

    /**
     * Takes the shared options (and their older aliases) out of a URI query.
     *
     * @param query the URI's query; the shared parameters are removed from it
     * @param base the values for what the query does not set
     * @return the options
     * @throws IllegalArgumentException when a value is malformed or out of range
     */
    public static BackplaneOptions bind(UriQuery query, BackplaneOptions base) {
        Builder b = base.toBuilder();
        query.take("namespace", "channelPrefix").ifPresent(b::namespace);
        query.takeInt("publishQueueMessages", "publishQueueSize", "publishQueue").ifPresent(b::publishQueueMessages);
        query.takeSize("publishQueueBytes").ifPresent(b::publishQueueBytes);
        query.takeInt("publishBatchSize", "publishBatch").ifPresent(b::publishBatchSize);
        query.takeSize("receiveQueueBytes", "maxDeliveryQueueBytes").ifPresent(b::receiveQueueBytes);
        query.takeDuration("reconnectDelayMin", "reconnectMin", "resumeBackoffMin").ifPresent(b::reconnectDelayMin);
        query.takeDuration("reconnectDelayMax", "reconnectMax", "resumeBackoffMax").ifPresent(b::reconnectDelayMax);
        query.takeDuration("livenessInterval", "healthCheckInterval", "probeInterval").ifPresent(b::livenessInterval);
        query.takeInt("livenessMissedBeats").ifPresent(b::livenessMissedBeats);
        query.takeDuration("startTimeout").ifPresent(b::startTimeout);
        return b.build();
    }

    /** Builds {@link BackplaneOptions}; not thread-safe. Every setter documents its default. */
    public static final class Builder {
        private String namespace = DEFAULT_NAMESPACE;
        private int publishQueueMessages = 10_000;
        private long publishQueueBytes = 64L << 20;
        private int publishBatchSize = 256;
        private long receiveQueueBytes = 64L << 20;
        private Duration reconnectDelayMin = Duration.ofMillis(100);
        private Duration reconnectDelayMax = Duration.ofSeconds(5);
        private Duration livenessInterval = Duration.ofSeconds(1);
        private int livenessMissedBeats = 3;
        private Duration startTimeout = Duration.ofSeconds(5);

        private Builder() {
        }

        private Builder(BackplaneOptions o) {
            namespace = o.namespace;
            publishQueueMessages = o.publishQueueMessages;
            publishQueueBytes = o.publishQueueBytes;
            publishBatchSize = o.publishBatchSize;
            receiveQueueBytes = o.receiveQueueBytes;
            reconnectDelayMin = o.reconnectDelayMin;
            reconnectDelayMax = o.reconnectDelayMax;
            livenessInterval = o.livenessInterval;
            livenessMissedBeats = o.livenessMissedBeats;
            startTimeout = o.startTimeout;
        }

        /** @param v name prefix (default {@code switchboard}) @return this builder */
        public Builder namespace(String v) {
            namespace = v;
            return this;
        }

        /** @param v most queued messages (default 10,000) @return this builder */
        public Builder publishQueueMessages(int v) {
            publishQueueMessages = v;
            return this;
        }

        /** @param v most queued bytes (default 64 MiB) @return this builder */
        public Builder publishQueueBytes(long v) {
            publishQueueBytes = v;
            return this;
        }

        /** @param v most messages per batch (default 256) @return this builder */
        public Builder publishBatchSize(int v) {
            publishBatchSize = v;
            return this;
        }

        /** @param v most received bytes waiting for delivery (default 64 MiB) @return this builder */
        public Builder receiveQueueBytes(long v) {
            receiveQueueBytes = v;
            return this;
        }

        /** @param v first reconnect delay (default 100 ms) @return this builder */
        public Builder reconnectDelayMin(Duration v) {
            reconnectDelayMin = v;
            return this;
        }

        /** @param v longest reconnect delay (default 5 s) @return this builder */
        public Builder reconnectDelayMax(Duration v) {
            reconnectDelayMax = v;
            return this;
        }

        /** @param min first reconnect delay @param max longest @return this builder */
        public Builder reconnectDelay(Duration min, Duration max) {
            return reconnectDelayMin(min).reconnectDelayMax(max);
        }

        /** @param v liveness beat interval (default 1 s) @return this builder */
        public Builder livenessInterval(Duration v) {
            livenessInterval = v;
            return this;
        }

        /** @param v missed beats before down (default 3) @return this builder */
        public Builder livenessMissedBeats(int v) {
            livenessMissedBeats = v;
            return this;
        }

        /** @param v longest wait for the first connection attempt (default 5 s) @return this builder */
        public Builder startTimeout(Duration v) {
            startTimeout = v;
            return this;
        }

        /**
         * @return the options
         * @throws IllegalArgumentException when a value is invalid
         */
        public BackplaneOptions build() {
            return new BackplaneOptions(namespace, publishQueueMessages, publishQueueBytes, publishBatchSize,
                    receiveQueueBytes, reconnectDelayMin, reconnectDelayMax, livenessInterval, livenessMissedBeats,
                    startTimeout);
        }
    }
}
