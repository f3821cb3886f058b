package dev.switchboard.backplane.mongo;

import com.mongodb.ConnectionString;
import com.mongodb.client.MongoClient;
import dev.switchboard.mongodb.internal.MongoUris;
import dev.switchboard.spi.BackplaneOptions;
import dev.switchboard.spi.UriQuery;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link MongoBackplane}. Immutable; build with {@link #builder()} or parse a URI with
 * {@link #fromUri(String)}; validated at construction (a bad value throws
 * {@link IllegalArgumentException} naming the field).
 *
 * <pre>{@code
 * MongoBackplaneOptions options = MongoBackplaneOptions.builder()
 *     .connectionString("mongodb://db1,db2,db3/?replicaSet=rs0")
 *     .namespace("shop")
 *     .build();
 * }</pre>
 *
 * <p>Every node of one cluster must use the same database, collections and namespace. Several clusters
 * may share one database and collections when their namespaces differ.
 *
 * @param connectionString the MongoDB connection string; exactly one of it and {@code client} is set.
 *     The backplane creates its own client from it (server selection timeout 5 s unless the string sets
 *     {@code serverSelectionTimeoutMS}) and closes it on {@link MongoBackplane#close()}
 * @param client a client the host application owns, or {@code null}; the backplane uses it and never
 *     closes it. Give it a short server selection timeout (5 s) so outages are noticed quickly
 * @param database the database holding the backplane's collections (default {@code switchboard}, or
 *     the database named in the connection string's path)
 * @param messagesCollection the collection each published message is inserted into (default
 *     {@code switchboard_messages})
 * @param historyCollection durable-topic entries (default {@code switchboard_history})
 * @param topicsCollection durable-topic counters, one document per topic (default {@code switchboard_topics})
 * @param messageTtl how long message documents are kept, by a TTL index on their time (default 60 s);
 *     {@code null} when {@code cappedBytes} is set. Delivery reads the oplog, not this collection, so
 *     this only bounds the collection's size
 * @param cappedBytes the size of a capped messages collection in bytes, or 0 for a TTL collection
 *     (default 0). Only applied when the backplane creates the collection
 * @param serverSelectionTimeout the driver's server selection timeout for a client the backplane
 *     creates (default 5 s)
 * @param maxAwaitTime how long one change-stream {@code getMore} waits for new events (default 1 s)
 * @param historyThreads threads running durable-topic history calls (default 4)
 * @param backplane the options every backplane shares ({@link BackplaneOptions}); its {@code namespace}
 *     separates clusters sharing the collections, written into every message and history key (default
 *     {@code switchboard}); its {@code startTimeout} bounds how long {@link MongoBackplane#start} waits for
 *     the change stream to open, to report a server without change streams at once
 */
public record MongoBackplaneOptions(String connectionString, MongoClient client, String database,
                                    String messagesCollection, String historyCollection, String topicsCollection,
                                    Duration messageTtl, long cappedBytes, Duration serverSelectionTimeout,
                                    Duration maxAwaitTime, int historyThreads, BackplaneOptions backplane) {

    /** The smallest capped collection accepted: a maximal message must fit several times. */
    public static final long MIN_CAPPED_BYTES = 64L << 20;

    /** Validates every field. */
    public MongoBackplaneOptions {
        if ((connectionString == null) == (client == null)) {
            throw new IllegalArgumentException("set exactly one of connectionString and client");
        }
        if (connectionString != null) {
            new ConnectionString(connectionString); // throws IllegalArgumentException when malformed
        }
        requireName(database, "database");
        Objects.requireNonNull(backplane, "backplane");
        requireName(messagesCollection, "messagesCollection");
        requireName(historyCollection, "historyCollection");
        requireName(topicsCollection, "topicsCollection");
        if (database.contains(".") || database.contains("/") || database.contains(" ")) {
            throw new IllegalArgumentException("database must not contain '.', '/' or ' ': " + database);
        }
        if ((messageTtl == null) == (cappedBytes == 0)) {
            throw new IllegalArgumentException("set exactly one of messageTtl and cappedBytes");
        }
        if (messageTtl != null && messageTtl.toSeconds() < 1) {
            throw new IllegalArgumentException("messageTtl must be at least 1 s: " + messageTtl);
        }
        if (cappedBytes != 0 && cappedBytes < MIN_CAPPED_BYTES) {
            throw new IllegalArgumentException("cappedBytes must be 0 or at least " + MIN_CAPPED_BYTES + ": "
                    + cappedBytes);
        }
        requireRange(historyThreads, 1, 256, "historyThreads");
        requirePositive(serverSelectionTimeout, "serverSelectionTimeout");
        requirePositive(maxAwaitTime, "maxAwaitTime");
    }

    /** @return the shared {@link BackplaneOptions#namespace()} */
    public String namespace() {
        return backplane.namespace();
    }

    /** @return the shared publish queue bound @deprecated read {@link #backplane()} */
    @Deprecated
    public int publishQueue() {
        return backplane.publishQueueMessages();
    }

    /** @return the shared batch size @deprecated read {@link #backplane()} */
    @Deprecated
    public int publishBatch() {
        return backplane.publishBatchSize();
    }

    /** @return the shared start timeout @deprecated read {@link #backplane()} */
    @Deprecated
    public Duration startTimeout() {
        return backplane.startTimeout();
    }

    /** @return the shared first reconnect delay @deprecated read {@link #backplane()} */
    @Deprecated
    public Duration resumeBackoffMin() {
        return backplane.reconnectDelayMin();
    }

    /** @return the shared longest reconnect delay @deprecated read {@link #backplane()} */
    @Deprecated
    public Duration resumeBackoffMax() {
        return backplane.reconnectDelayMax();
    }

    /**
     * @param connectionString a MongoDB connection string of a replica set
     * @return the defaults for that server
     */
    public static MongoBackplaneOptions of(String connectionString) {
        return builder().connectionString(connectionString).build();
    }

    /**
     * Parses a backplane URI: a MongoDB connection string whose query may also carry the backplane's
     * settings, which are removed before the string goes to the driver: the shared {@link BackplaneOptions}
     * by their names ({@code namespace}, {@code publishQueueMessages}, {@code livenessInterval}, ...) and
     * the module's own {@code switchboardDatabase}, {@code switchboardCollection} (messages),
     * {@code switchboardTtlSeconds}, {@code switchboardCappedBytes}. The older {@code switchboardNamespace},
     * {@code switchboardQueue} and {@code switchboardStartTimeoutMs} still work (deprecated).
     *
     * <pre>{@code mongodb://db1,db2/?replicaSet=rs0&namespace=shop&switchboardTtlSeconds=30}</pre>
     *
     * @param uri a {@code mongodb://} or {@code mongodb+srv://} URI
     * @return the options
     * @throws IllegalArgumentException when the URI or a setting is malformed
     */
    public static MongoBackplaneOptions fromUri(String uri) {
        MongoUris.Parsed parsed = MongoUris.parse(uri);
        Builder b = builder().connectionString(parsed.connectionString());
        b.database(parsed.database("switchboard"));
        parsed.text("switchboardNamespace").ifPresent(b::namespace);
        parsed.number("switchboardQueue").ifPresent(q -> b.backplane.publishQueueMessages(Math.toIntExact(q)));
        parsed.number("switchboardStartTimeoutMs").ifPresent(ms -> b.backplane.startTimeout(Duration.ofMillis(ms)));
        UriQuery shared = parsed.shared();
        b.backplane(BackplaneOptions.bind(shared, b.backplane.build()));
        shared.requireEmpty("MongoDB backplane");
        parsed.text("switchboardCollection").ifPresent(b::messagesCollection);
        parsed.number("switchboardTtlSeconds").ifPresent(s -> b.messageTtl(Duration.ofSeconds(s)));
        parsed.number("switchboardCappedBytes").ifPresent(b::capped);
        parsed.requireNoOtherSettings();
        return b.build();
    }

    /** @return a builder starting from the defaults (a connection string or client must still be set) */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these options */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.connectionString = connectionString;
        b.client = client;
        b.database = database;
        b.messagesCollection = messagesCollection;
        b.historyCollection = historyCollection;
        b.topicsCollection = topicsCollection;
        b.messageTtl = messageTtl;
        b.cappedBytes = cappedBytes;
        b.serverSelectionTimeout = serverSelectionTimeout;
        b.maxAwaitTime = maxAwaitTime;
        b.historyThreads = historyThreads;
        b.backplane = backplane.toBuilder();
        return b;
    }

    /** @return the connection string with any password masked, for logs and health details */
    public String describeServer() {
        return connectionString == null ? "a host-supplied MongoClient"
                : dev.switchboard.backplane.Backplanes.redact(connectionString);
    }

    private static void requireName(String value, String field) {
        Objects.requireNonNull(value, field);
        if (value.isBlank() || value.startsWith("$") || value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(field + " must be a non-blank name without a leading '$': " + value);
        }
    }

    private static void requireRange(int value, int min, int max, String field) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be " + min + ".." + max + ": " + value);
        }
    }

    private static void requirePositive(Duration d, String field) {
        Objects.requireNonNull(d, field);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(field + " must be positive: " + d);
        }
    }

    /** Builds {@link MongoBackplaneOptions}; every setter returns this builder. */
    public static final class Builder {
        private String connectionString;
        private MongoClient client;
        private String database = "switchboard";
        private String messagesCollection = "switchboard_messages";
        private String historyCollection = "switchboard_history";
        private String topicsCollection = "switchboard_topics";
        private Duration messageTtl = Duration.ofSeconds(60);
        private long cappedBytes;
        private Duration serverSelectionTimeout = Duration.ofSeconds(5);
        private Duration maxAwaitTime = Duration.ofSeconds(1);
        private int historyThreads = 4;
        private BackplaneOptions.Builder backplane = BackplaneOptions.builder();

        private Builder() {
        }

        /** @param v a MongoDB connection string (clears {@link #client}) @return this */
        public Builder connectionString(String v) {
            connectionString = v;
            client = null;
            return this;
        }

        /** @param v a client the host owns and closes (clears {@link #connectionString}) @return this */
        public Builder client(MongoClient v) {
            client = v;
            connectionString = null;
            return this;
        }

        /** @param v the database @return this */
        public Builder database(String v) {
            database = v;
            return this;
        }

        /** @param v the namespace of this cluster, the shared {@link BackplaneOptions#namespace()} @return this */
        public Builder namespace(String v) {
            backplane.namespace(v);
            return this;
        }

        /** @param v the options every backplane shares (default {@link BackplaneOptions#defaults()}) @return this */
        public Builder backplane(BackplaneOptions v) {
            backplane = v.toBuilder();
            return this;
        }

        /** @param v the messages collection @return this */
        public Builder messagesCollection(String v) {
            messagesCollection = v;
            return this;
        }

        /** @param v the history collection @return this */
        public Builder historyCollection(String v) {
            historyCollection = v;
            return this;
        }

        /** @param v the topic counters collection @return this */
        public Builder topicsCollection(String v) {
            topicsCollection = v;
            return this;
        }

        /** @param v how long message documents are kept (a TTL collection; clears capped) @return this */
        public Builder messageTtl(Duration v) {
            messageTtl = v;
            cappedBytes = 0;
            return this;
        }

        /** @param bytes the size of a capped messages collection (clears the TTL) @return this */
        public Builder capped(long bytes) {
            cappedBytes = bytes;
            messageTtl = null;
            return this;
        }

        /** @param v the shared publish queue bound @return this @deprecated use {@link #backplane} */
        @Deprecated
        public Builder publishQueue(int v) {
            backplane.publishQueueMessages(v);
            return this;
        }

        /** @param v the shared batch size @return this @deprecated use {@link #backplane} */
        @Deprecated
        public Builder publishBatch(int v) {
            backplane.publishBatchSize(v);
            return this;
        }

        /** @param v the shared start timeout @return this @deprecated use {@link #backplane} */
        @Deprecated
        public Builder startTimeout(Duration v) {
            backplane.startTimeout(v);
            return this;
        }

        /** @param v the server selection timeout of a client the backplane creates @return this */
        public Builder serverSelectionTimeout(Duration v) {
            serverSelectionTimeout = v;
            return this;
        }

        /** @param v how long one change-stream getMore waits @return this */
        public Builder maxAwaitTime(Duration v) {
            maxAwaitTime = v;
            return this;
        }

        /** @param min first pause @param max longest pause, the shared reconnect delays @return this @deprecated use {@link #backplane} */
        @Deprecated
        public Builder resumeBackoff(Duration min, Duration max) {
            backplane.reconnectDelay(min, max);
            return this;
        }

        /** @param v threads for history calls @return this */
        public Builder historyThreads(int v) {
            historyThreads = v;
            return this;
        }

        /** @return validated options */
        public MongoBackplaneOptions build() {
            return new MongoBackplaneOptions(connectionString, client, database, messagesCollection,
                    historyCollection, topicsCollection, messageTtl, cappedBytes, serverSelectionTimeout,
                    maxAwaitTime, historyThreads, backplane.build());
        }
    }
}
