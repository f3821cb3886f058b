package dev.switchboard.backplane.redis;

import dev.switchboard.backplane.redis.internal.RedisUris;
import dev.switchboard.spi.BackplaneOptions;
import dev.switchboard.spi.UriQuery;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of a {@link RedisBackplane}: where Redis is, how channels and keys are named, and how the
 * backplane behaves while Redis is unreachable. Immutable and validated at construction; build one with
 * {@link #of(String)} or {@link #builder()}.
 *
 * <pre>{@code
 * RedisBackplaneOptions.of("redis://127.0.0.1:6379?namespace=shop");
 * RedisBackplaneOptions.builder().uri("redis-cluster://10.0.0.1:7000,10.0.0.2:7000")
 *         .backplane(BackplaneOptions.builder().namespace("shop").build())
 *         .publishTimeout(Duration.ofSeconds(1)).build();
 * }</pre>
 *
 * <p>URI forms ({@code user:password@} optional everywhere, default port 6379, 26379 for sentinels;
 * every builder property below, and every shared {@link BackplaneOptions} property ({@code namespace},
 * {@code publishQueueMessages}, {@code livenessInterval}, ...), may also be given as a query parameter of
 * the same name):
 * <ul>
 *   <li>{@code redis://host:6379/0}, {@code rediss://host:6380/0} (TLS) — one server;</li>
 *   <li>{@code redis-sentinel://s1:26379,s2:26379/0?sentinelMasterId=mymaster} (or {@code #mymaster}),
 *       {@code rediss-sentinel://…} — a master found through Sentinel;</li>
 *   <li>{@code redis-cluster://n1:7000,n2:7001}, {@code rediss-cluster://…} — Redis Cluster (seed nodes).</li>
 * </ul>
 *
 * @param topology standalone, sentinel or cluster (from the URI scheme)
 * @param hosts {@code host:port} of the server, the sentinels or the cluster seed nodes; IPv6 hosts in brackets
 * @param tls whether to connect with TLS ({@code rediss…} schemes)
 * @param username the ACL user, or {@code null} for the default user
 * @param password the password, or {@code null} for none; never shown by {@link #toString()}
 * @param database the database index (standalone and sentinel only; 0 on a cluster). Pub/sub ignores it,
 *     so two applications on one Redis are kept apart by the {@code namespace}, not by the database
 * @param sentinelMasterId the master's name in Sentinel; required for {@link RedisTopology#SENTINEL}
 * @param pubSubMode classic or sharded pub/sub on Redis Cluster (default {@link RedisPubSubMode#AUTO})
 * @param connectTimeout limit of one connection attempt (default 2 s)
 * @param commandTimeout limit of a history command and of a health probe (default 5 s)
 * @param publishTimeout limit of one {@code PUBLISH}; a message not acknowledged in time is counted as dropped
 *     (default 2 s)
 * @param maxPendingCommands commands (publishes, history calls) that may await Redis' answer at once; more
 *     are rejected at once and counted as dropped (default 100,000)
 * @param historyTtl when set, a durable topic's keys expire after this long without an append, and a topic
 *     that comes back starts a new epoch; {@code null} (default): keys are kept until deleted
 * @param backplane the options every backplane shares; {@link BackplaneOptions#namespace()} is the prefix of
 *     every channel and key (default {@code switchboard}; no whitespace and no braces here), so several
 *     applications can share one Redis
 */
public record RedisBackplaneOptions(
        RedisTopology topology,
        List<String> hosts,
        boolean tls,
        String username,
        String password,
        int database,
        String sentinelMasterId,
        RedisPubSubMode pubSubMode,
        Duration connectTimeout,
        Duration commandTimeout,
        Duration publishTimeout,
        int maxPendingCommands,
        Duration historyTtl,
        BackplaneOptions backplane) {

    /** The default channel and key prefix. */
    public static final String DEFAULT_CHANNEL_PREFIX = BackplaneOptions.DEFAULT_NAMESPACE;

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException when a value is out of range or the hosts do not fit the topology
     */
    public RedisBackplaneOptions {
        Objects.requireNonNull(topology, "topology");
        hosts = List.copyOf(hosts);
        Objects.requireNonNull(backplane, "backplane");
        Objects.requireNonNull(pubSubMode, "pubSubMode");
        String channelPrefix = backplane.namespace();
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("at least one host is required");
        }
        hosts.forEach(RedisUris::parseHostAndPort);
        if (topology == RedisTopology.STANDALONE && hosts.size() != 1) {
            throw new IllegalArgumentException("a standalone Redis has one host (use redis-sentinel:// or "
                    + "redis-cluster:// for several): " + hosts);
        }
        if (topology == RedisTopology.SENTINEL && (sentinelMasterId == null || sentinelMasterId.isBlank())) {
            throw new IllegalArgumentException("redis-sentinel needs sentinelMasterId (?sentinelMasterId=mymaster)");
        }
        if (database < 0 || (topology == RedisTopology.CLUSTER && database != 0)) {
            throw new IllegalArgumentException("database must be >= 0, and 0 on Redis Cluster: " + database);
        }
        if (channelPrefix.isEmpty() || !channelPrefix.matches("[^\\s{}]+")) {
            throw new IllegalArgumentException("namespace must be non-empty, without whitespace or braces: \""
                    + channelPrefix + "\"");
        }
        positive(connectTimeout, "connectTimeout");
        positive(commandTimeout, "commandTimeout");
        positive(publishTimeout, "publishTimeout");
        if (maxPendingCommands < 1) {
            throw new IllegalArgumentException("maxPendingCommands must be >= 1");
        }
        if (historyTtl != null) {
            positive(historyTtl, "historyTtl");
        }
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }

    /**
     * @param uri a Redis URI in one of the forms listed above, options as query parameters
     * @return the options, defaults for everything the URI does not set
     * @throws IllegalArgumentException when the URI is malformed or names an unknown option
     */
    public static RedisBackplaneOptions of(String uri) {
        return builder().uri(uri).build();
    }

    /** @return the channel and key prefix, {@link BackplaneOptions#namespace()} */
    public String channelPrefix() {
        return backplane.namespace();
    }

    /** @return the shared {@link BackplaneOptions#reconnectDelayMin()} @deprecated read {@link #backplane()} */
    @Deprecated
    public Duration reconnectDelayMin() {
        return backplane.reconnectDelayMin();
    }

    /** @return the shared {@link BackplaneOptions#reconnectDelayMax()} @deprecated read {@link #backplane()} */
    @Deprecated
    public Duration reconnectDelayMax() {
        return backplane.reconnectDelayMax();
    }

    /** @return the shared {@link BackplaneOptions#livenessInterval()} @deprecated read {@link #backplane()} */
    @Deprecated
    public Duration healthCheckInterval() {
        return backplane.livenessInterval();
    }

    /** @return the shared {@link BackplaneOptions#startTimeout()} @deprecated read {@link #backplane()} */
    @Deprecated
    public Duration startTimeout() {
        return backplane.startTimeout();
    }

    /** @return the shared {@link BackplaneOptions#receiveQueueBytes()} @deprecated read {@link #backplane()} */
    @Deprecated
    public long maxDeliveryQueueBytes() {
        return backplane.receiveQueueBytes();
    }

    /** @return a builder for a standalone Redis on 127.0.0.1:6379 with every default */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these options */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** @return the address in URI form without credentials or options, for logs and health details */
    public String endpoint() {
        String scheme = switch (topology) {
            case STANDALONE -> "redis";
            case SENTINEL -> "redis-sentinel";
            case CLUSTER -> "redis-cluster";
        };
        return (tls ? scheme.replace("redis", "rediss") : scheme) + "://" + String.join(",", hosts)
                + (database != 0 ? "/" + database : "")
                + (sentinelMasterId != null && topology == RedisTopology.SENTINEL ? "#" + sentinelMasterId : "");
    }

    /** @return the options with the password masked */
    @Override
    public String toString() {
        return "RedisBackplaneOptions[" + endpoint() + (username != null ? ", user " + username : "")
                + (password != null ? ", password ****" : "") + ", pubSubMode " + pubSubMode + ", connectTimeout "
                + connectTimeout + ", commandTimeout " + commandTimeout + ", publishTimeout " + publishTimeout
                + ", maxPendingCommands " + maxPendingCommands + ", historyTtl " + historyTtl + ", " + backplane + "]";
    }

    /** Builds {@link RedisBackplaneOptions}; not thread-safe. Every setter documents its default. */
    public static final class Builder {
        private RedisTopology topology = RedisTopology.STANDALONE;
        private List<String> hosts = List.of("127.0.0.1:6379");
        private boolean tls;
        private String username;
        private String password;
        private int database;
        private String sentinelMasterId;
        private RedisPubSubMode pubSubMode = RedisPubSubMode.AUTO;
        private Duration connectTimeout = Duration.ofSeconds(2);
        private Duration commandTimeout = Duration.ofSeconds(5);
        private Duration publishTimeout = Duration.ofSeconds(2);
        private int maxPendingCommands = 100_000;
        private Duration historyTtl;
        private BackplaneOptions.Builder backplane = BackplaneOptions.builder();

        private Builder() {
        }

        private Builder(RedisBackplaneOptions o) {
            topology = o.topology;
            hosts = o.hosts;
            tls = o.tls;
            username = o.username;
            password = o.password;
            database = o.database;
            sentinelMasterId = o.sentinelMasterId;
            pubSubMode = o.pubSubMode;
            connectTimeout = o.connectTimeout;
            commandTimeout = o.commandTimeout;
            publishTimeout = o.publishTimeout;
            maxPendingCommands = o.maxPendingCommands;
            historyTtl = o.historyTtl;
            backplane = o.backplane.toBuilder();
        }

        /**
         * Sets the topology, hosts, TLS, credentials and database from a URI, then the options in its query.
         *
         * @param uri see {@link RedisBackplaneOptions} for the forms
         * @return this builder
         * @throws IllegalArgumentException when the URI is malformed or names an unknown option
         */
        public Builder uri(String uri) {
            UriQuery rest = RedisUris.apply(Objects.requireNonNull(uri, "uri"), this);
            backplane = BackplaneOptions.bind(rest, backplane.build()).toBuilder();
            rest.requireEmpty("Redis backplane");
            return this;
        }

        /** @param topology the deployment's shape (default standalone) @return this builder */
        public Builder topology(RedisTopology topology) {
            this.topology = topology;
            return this;
        }

        /** @param hosts {@code host:port} entries (default {@code 127.0.0.1:6379}) @return this builder */
        public Builder hosts(List<String> hosts) {
            this.hosts = List.copyOf(hosts);
            return this;
        }

        /** @param tls connect with TLS (default false) @return this builder */
        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        /** @param username ACL user, null for none (default) @return this builder */
        public Builder username(String username) {
            this.username = username;
            return this;
        }

        /** @param password password, null for none (default) @return this builder */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /** @param database database index for history keys (default 0) @return this builder */
        public Builder database(int database) {
            this.database = database;
            return this;
        }

        /** @param id the Sentinel master name (no default) @return this builder */
        public Builder sentinelMasterId(String id) {
            this.sentinelMasterId = id;
            return this;
        }

        /**
         * @param options the options every backplane shares (default {@link BackplaneOptions#defaults()})
         * @return this builder
         */
        public Builder backplane(BackplaneOptions options) {
            this.backplane = options.toBuilder();
            return this;
        }

        /** @param prefix channel and key prefix, the shared {@code namespace} (default {@code switchboard}) @return this builder */
        public Builder channelPrefix(String prefix) {
            backplane.namespace(prefix);
            return this;
        }

        /** @param mode pub/sub commands on Redis Cluster (default AUTO) @return this builder */
        public Builder pubSubMode(RedisPubSubMode mode) {
            this.pubSubMode = mode;
            return this;
        }

        /** @param timeout one connection attempt (default 2 s) @return this builder */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /** @param timeout history commands and probes (default 5 s) @return this builder */
        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = timeout;
            return this;
        }

        /** @param timeout one publish (default 2 s) @return this builder */
        public Builder publishTimeout(Duration timeout) {
            this.publishTimeout = timeout;
            return this;
        }

        /** @param delay the shared first reconnect delay (default 100 ms) @return this builder @deprecated use {@link #backplane} */
        @Deprecated
        public Builder reconnectDelayMin(Duration delay) {
            backplane.reconnectDelayMin(delay);
            return this;
        }

        /** @param delay the shared longest reconnect delay (default 5 s) @return this builder @deprecated use {@link #backplane} */
        @Deprecated
        public Builder reconnectDelayMax(Duration delay) {
            backplane.reconnectDelayMax(delay);
            return this;
        }

        /** @param interval the shared liveness interval (default 1 s) @return this builder @deprecated use {@link #backplane} */
        @Deprecated
        public Builder healthCheckInterval(Duration interval) {
            backplane.livenessInterval(interval);
            return this;
        }

        /** @param timeout the shared start timeout (default 5 s) @return this builder @deprecated use {@link #backplane} */
        @Deprecated
        public Builder startTimeout(Duration timeout) {
            backplane.startTimeout(timeout);
            return this;
        }

        /** @param max commands awaiting an answer (default 100,000) @return this builder */
        public Builder maxPendingCommands(int max) {
            this.maxPendingCommands = max;
            return this;
        }

        /** @param max the shared receive queue bound (default 64 MiB) @return this builder @deprecated use {@link #backplane} */
        @Deprecated
        public Builder maxDeliveryQueueBytes(long max) {
            backplane.receiveQueueBytes(max);
            return this;
        }

        /** @param ttl idle expiry of a durable topic's keys, null for none (default) @return this builder */
        public Builder historyTtl(Duration ttl) {
            this.historyTtl = ttl;
            return this;
        }

        /**
         * @return the options
         * @throws IllegalArgumentException when a value is invalid
         */
        public RedisBackplaneOptions build() {
            return new RedisBackplaneOptions(topology, hosts, tls, username, password, database, sentinelMasterId,
                    pubSubMode, connectTimeout, commandTimeout, publishTimeout, maxPendingCommands, historyTtl,
                    backplane.build());
        }
    }
}
