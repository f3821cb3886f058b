package dev.switchboard.backplane.mongo;

import com.mongodb.ConnectionString;
import com.mongodb.client.MongoClient;
import dev.switchboard.backplane.mongo.internal.MongoUris;
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
 * @param namespace separates clusters sharing the collections: written into every message and history
 *     key (default {@code switchboard})
 * @param messagesCollection the collection each published message is inserted into (default
 *     {@code switchboard_messages})
 * @param historyCollection durable-topic entries (default {@code switchboard_history})
 * @param topicsCollection durable-topic counters, one document per topic (default {@code switchboard_topics})
 * @param messageTtl how long message documents are kept, by a TTL index on their time (default 60 s);
 *     {@code null} when {@code cappedBytes} is set. Delivery reads the oplog, not this collection, so
 *     this only bounds the collection's size
 * @param cappedBytes the size of a capped messages collection in bytes, or 0 for a TTL collection
 *     (default 0). Only applied when the backplane creates the collection
 * @param publishQueue how many messages may wait for the publisher thread; more are dropped and counted
 *     (default 10,000)
 * @param publishBatch at most this many queued messages go in one {@code insertMany} (default 256)
 * @param startTimeout how long {@link MongoBackplane#start} waits for the change stream to open, to
 *     report a server without change streams at once; a server that does not answer in time is retried
 *     in the background (default 5 s)
 * @param serverSelectionTimeout the driver's server selection timeout for a client the backplane
 *     creates (default 5 s)
 * @param maxAwaitTime how long one change-stream {@code getMore} waits for new events (default 1 s)
 * @param resumeBackoffMin the first pause before reopening a failed change stream or retrying a failed
 *     insert (default 100 ms); it doubles per failure up to {@code resumeBackoffMax}
 * @param resumeBackoffMax the longest pause between attempts (default 5 s)
 * @param historyThreads threads running durable-topic history calls (default 4)
 */
public record MongoBackplaneOptions(String connectionString, MongoClient client, String database, String namespace,
                                    String messagesCollection, String historyCollection, String topicsCollection,
                                    Duration messageTtl, long cappedBytes, int publishQueue, int publishBatch,
                                    Duration startTimeout, Duration serverSelectionTimeout, Duration maxAwaitTime,
                                    Duration resumeBackoffMin, Duration resumeBackoffMax, int historyThreads) {

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
        requireName(namespace, "namespace");
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
        requireRange(publishQueue, 1, 10_000_000, "publishQueue");
        requireRange(publishBatch, 1, 100_000, "publishBatch");
        requireRange(historyThreads, 1, 256, "historyThreads");
        requirePositive(startTimeout, "startTimeout");
        requirePositive(serverSelectionTimeout, "serverSelectionTimeout");
        requirePositive(maxAwaitTime, "maxAwaitTime");
        requirePositive(resumeBackoffMin, "resumeBackoffMin");
        requirePositive(resumeBackoffMax, "resumeBackoffMax");
        if (resumeBackoffMax.compareTo(resumeBackoffMin) < 0) {
            throw new IllegalArgumentException("resumeBackoffMax must not be below resumeBackoffMin");
        }
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
     * settings, which are removed before the string goes to the driver: {@code switchboardDatabase},
     * {@code switchboardNamespace}, {@code switchboardCollection} (messages), {@code switchboardTtlSeconds},
     * {@code switchboardCappedBytes}, {@code switchboardQueue}, {@code switchboardStartTimeoutMs}.
     *
     * <pre>{@code mongodb://db1,db2/?replicaSet=rs0&switchboardNamespace=shop&switchboardTtlSeconds=30}</pre>
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
        parsed.text("switchboardCollection").ifPresent(b::messagesCollection);
        parsed.number("switchboardTtlSeconds").ifPresent(s -> b.messageTtl(Duration.ofSeconds(s)));
        parsed.number("switchboardCappedBytes").ifPresent(b::capped);
        parsed.number("switchboardQueue").ifPresent(q -> b.publishQueue(Math.toIntExact(q)));
        parsed.number("switchboardStartTimeoutMs").ifPresent(ms -> b.startTimeout(Duration.ofMillis(ms)));
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
        b.namespace = namespace;
        b.messagesCollection = messagesCollection;
        b.historyCollection = historyCollection;
        b.topicsCollection = topicsCollection;
        b.messageTtl = messageTtl;
        b.cappedBytes = cappedBytes;
        b.publishQueue = publishQueue;
        b.publishBatch = publishBatch;
        b.startTimeout = startTimeout;
        b.serverSelectionTimeout = serverSelectionTimeout;
        b.maxAwaitTime = maxAwaitTime;
        b.resumeBackoffMin = resumeBackoffMin;
        b.resumeBackoffMax = resumeBackoffMax;
        b.historyThreads = historyThreads;
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
        private String namespace = "switchboard";
        private String messagesCollection = "switchboard_messages";
        private String historyCollection = "switchboard_history";
        private String topicsCollection = "switchboard_topics";
        private Duration messageTtl = Duration.ofSeconds(60);
        private long cappedBytes;
        private int publishQueue = 10_000;
        private int publishBatch = 256;
        private Duration startTimeout = Duration.ofSeconds(5);
        private Duration serverSelectionTimeout = Duration.ofSeconds(5);
        private Duration maxAwaitTime = Duration.ofSeconds(1);
        private Duration resumeBackoffMin = Duration.ofMillis(100);
        private Duration resumeBackoffMax = Duration.ofSeconds(5);
        private int historyThreads = 4;

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

        /** @param v the namespace of this cluster @return this */
        public Builder namespace(String v) {
            namespace = v;
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

        /** @param v the publish queue's capacity in messages @return this */
        public Builder publishQueue(int v) {
            publishQueue = v;
            return this;
        }

        /** @param v the most messages per insertMany @return this */
        public Builder publishBatch(int v) {
            publishBatch = v;
            return this;
        }

        /** @param v how long start waits for the change stream @return this */
        public Builder startTimeout(Duration v) {
            startTimeout = v;
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

        /** @param min first pause @param max longest pause between reconnect attempts @return this */
        public Builder resumeBackoff(Duration min, Duration max) {
            resumeBackoffMin = min;
            resumeBackoffMax = max;
            return this;
        }

        /** @param v threads for history calls @return this */
        public Builder historyThreads(int v) {
            historyThreads = v;
            return this;
        }

        /** @return validated options */
        public MongoBackplaneOptions build() {
            return new MongoBackplaneOptions(connectionString, client, database, namespace, messagesCollection,
                    historyCollection, topicsCollection, messageTtl, cappedBytes, publishQueue, publishBatch,
                    startTimeout, serverSelectionTimeout, maxAwaitTime, resumeBackoffMin, resumeBackoffMax,
                    historyThreads);
        }
    }
}
