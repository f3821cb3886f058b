package dev.switchboard.backplane.postgres;

import dev.switchboard.backplane.postgres.internal.Payloads;
import dev.switchboard.postgres.internal.Identifiers;
import dev.switchboard.postgres.internal.JdbcEndpoint;
import dev.switchboard.postgres.internal.PostgresUri;
import dev.switchboard.spi.BackplaneOptions;
import dev.switchboard.spi.UriQuery;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;

/**
 * How a {@link PostgresBackplane} connects and behaves. Immutable; build with {@link #builder()} or
 * parse a URI with {@link #of(String)}; validated at construction.
 *
 * <pre>{@code
 * PostgresBackplaneOptions.of("postgres://app:secret@db:5432/app?namespace=shop");
 * PostgresBackplaneOptions.builder()
 *     .dataSource(hikari)                                  // publishing, durable topics, attachments
 *     .listenUrl("jdbc:postgresql://db:5432/app?user=app") // the dedicated LISTEN connection
 *     .build();
 * }</pre>
 *
 * @param url the {@code jdbc:postgresql:} URL for the LISTEN connection and, without a
 *     {@code dataSource}, for the backplane's own HikariCP pool; null only with both {@code dataSource}
 *     and {@code listenUrl}
 * @param user the user, or null (from the URL or the driver's default)
 * @param password the password, or null; never printed by {@link #toString()}
 * @param dataSource the application's pool (any {@link DataSource}: a Spring Boot application's
 *     HikariCP, a container's) for publishing, durable topics and attachments, or null to use a HikariCP
 *     pool of {@code poolSize} connections to {@code url} (default: none). The backplane borrows a
 *     connection per batch and per history call and never closes the pool. LISTEN never goes through it
 *     (a pool, or PgBouncer in transaction mode, would lose the session's LISTEN): it has a dedicated
 *     pgjdbc connection to {@code listenUrl}.
 * @param listenUrl the URL of the dedicated LISTEN connection, or null for {@code url} (default)
 * @param schema the schema of the backplane's tables (default {@code public})
 * @param tablePrefix the tables' prefix: {@code <prefix>_attachments}, {@code <prefix>_topics},
 *     {@code <prefix>_history}; letters, digits and '_', at most 40 characters (default
 *     {@code switchboard})
 * @param createSchema create the tables on start if missing (idempotent, under an advisory lock);
 *     false when migrations are managed elsewhere with {@code schema.sql} (default true)
 * @param attachmentThreshold payloads up to this many bytes travel inside the NOTIFY; larger messages
 *     go through the attachments table; 64 to 7999 (default 7900)
 * @param attachmentMaxAge attachments older than this are deleted; must exceed the longest time a
 *     receiver may take to read one (default 5 minutes)
 * @param attachmentCleanupPeriod how often each node deletes old attachments (default 1 minute)
 * @param poolSize the most connections of the backplane's own HikariCP pool ({@code maximumPoolSize}),
 *     opened on demand, when no {@code dataSource} is given; also the threads of durable-topic calls
 *     (default 4)
 * @param asyncCommit commit the publisher's own transactions with {@code synchronous_commit = off};
 *     notifications are never stored, so nothing is lost that a flush would have kept (default true)
 * @param backplane the options every backplane shares ({@link BackplaneOptions}); its {@code namespace}
 *     names the notification channels {@code <namespace>_all} and {@code <namespace>_node_<nodeId>}, and
 *     here must be letters, digits and '_', at most 40 characters (default {@code switchboard})
 */
public record PostgresBackplaneOptions(String url, String user, String password, DataSource dataSource,
                                       String listenUrl, String schema, String tablePrefix, boolean createSchema,
                                       int attachmentThreshold, Duration attachmentMaxAge,
                                       Duration attachmentCleanupPeriod, int poolSize, boolean asyncCommit,
                                       BackplaneOptions backplane) {

    /** The URI query parameters that set options (everything else goes to pgjdbc). */
    static final Set<String> URI_OPTIONS;

    static {
        Set<String> names = new HashSet<>(Set.of("schema", "tablePrefix", "createSchema", "attachmentThreshold",
                "attachmentMaxAge", "attachmentCleanupPeriod", "poolSize", "asyncCommit", "listenUrl"));
        names.addAll(BackplaneOptions.QUERY_NAMES);
        URI_OPTIONS = Set.copyOf(names);
    }

    /** Validates every field. */
    public PostgresBackplaneOptions {
        if (url == null && (dataSource == null || listenUrl == null)) {
            throw new IllegalArgumentException("a url is needed, or a dataSource together with a listenUrl");
        }
        if (url != null) {
            new JdbcEndpoint(url, user, password);
        }
        if (listenUrl != null) {
            new JdbcEndpoint(listenUrl, user, password);
        }
        Objects.requireNonNull(backplane, "backplane");
        requirePlain(backplane.namespace(), "namespace");
        requirePlain(tablePrefix, "tablePrefix");
        Identifiers.check(schema, "schema");
        if (attachmentThreshold < 64 || attachmentThreshold > Payloads.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("attachmentThreshold must be between 64 and "
                    + Payloads.MAX_PAYLOAD_BYTES + ": " + attachmentThreshold);
        }
        requirePositive(attachmentMaxAge, "attachmentMaxAge");
        requirePositive(attachmentCleanupPeriod, "attachmentCleanupPeriod");
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be positive");
        }
    }

    /**
     * @param uri {@code postgres://user:pass@host:port/db?…}, {@code postgresql://…} or
     *     {@code jdbc:postgresql://…}; query parameters named like the options (this record's and the
     *     shared {@link BackplaneOptions}) set them (durations as {@code 500ms}, {@code 10s}, {@code 5m},
     *     {@code 1h} or ISO-8601), the rest go to pgjdbc
     * @return the options, defaults elsewhere
     * @throws IllegalArgumentException when the URI or an option in it is malformed
     */
    public static PostgresBackplaneOptions of(String uri) {
        return builder().uri(uri).build();
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the notification channels' prefix, the shared {@link BackplaneOptions#namespace()} */
    public String channelPrefix() {
        return backplane.namespace();
    }

    /** @return the shared first reconnect delay @deprecated read {@link #backplane()} */
    @Deprecated
    public Duration reconnectMin() {
        return backplane.reconnectDelayMin();
    }

    /** @return the shared longest reconnect delay @deprecated read {@link #backplane()} */
    @Deprecated
    public Duration reconnectMax() {
        return backplane.reconnectDelayMax();
    }

    /** @return the shared liveness interval @deprecated read {@link #backplane()} */
    @Deprecated
    public Duration probeInterval() {
        return backplane.livenessInterval();
    }

    /** @return the shared publish queue bound in messages @deprecated read {@link #backplane()} */
    @Deprecated
    public int publishQueueSize() {
        return backplane.publishQueueMessages();
    }

    /** @return the shared publish queue bound in bytes @deprecated read {@link #backplane()} */
    @Deprecated
    public long publishQueueBytes() {
        return backplane.publishQueueBytes();
    }

    /** @return the shared batch size @deprecated read {@link #backplane()} */
    @Deprecated
    public int publishBatchSize() {
        return backplane.publishBatchSize();
    }

    /** @return a builder starting from these options */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.url = url;
        b.user = user;
        b.password = password;
        b.dataSource = dataSource;
        b.listenUrl = listenUrl;
        b.schema = schema;
        b.tablePrefix = tablePrefix;
        b.createSchema = createSchema;
        b.attachmentThreshold = attachmentThreshold;
        b.attachmentMaxAge = attachmentMaxAge;
        b.attachmentCleanupPeriod = attachmentCleanupPeriod;
        b.poolSize = poolSize;
        b.asyncCommit = asyncCommit;
        b.backplane = backplane.toBuilder();
        return b;
    }

    /** @return the options without the password */
    @Override
    public String toString() {
        return "PostgresBackplaneOptions[url=" + (url == null ? null : PostgresUri.redact(url)) + ", user=" + user
                + ", password=" + (password == null ? null : "****") + ", dataSource=" + dataSource
                + ", listenUrl=" + (listenUrl == null ? null : PostgresUri.redact(listenUrl))
                + ", schema=" + schema + ", tablePrefix=" + tablePrefix
                + ", createSchema=" + createSchema + ", attachmentThreshold=" + attachmentThreshold
                + ", attachmentMaxAge=" + attachmentMaxAge + ", attachmentCleanupPeriod=" + attachmentCleanupPeriod
                + ", poolSize=" + poolSize + ", asyncCommit=" + asyncCommit + ", " + backplane + "]";
    }

    private static void requirePlain(String v, String name) {
        Objects.requireNonNull(v, name);
        if (!Identifiers.isPlain(v) || v.length() > 40) {
            throw new IllegalArgumentException(name + " must be letters, digits and '_' (not starting with a digit), "
                    + "at most 40 characters: " + v);
        }
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }

    /** Builds {@link PostgresBackplaneOptions}; every setter returns the builder. */
    public static final class Builder {
        private String url;
        private String user;
        private String password;
        private DataSource dataSource;
        private String listenUrl;
        private String schema = "public";
        private String tablePrefix = "switchboard";
        private boolean createSchema = true;
        private int attachmentThreshold = 7900;
        private Duration attachmentMaxAge = Duration.ofMinutes(5);
        private Duration attachmentCleanupPeriod = Duration.ofMinutes(1);
        private int poolSize = 4;
        private boolean asyncCommit = true;
        private BackplaneOptions.Builder backplane = BackplaneOptions.builder();

        private Builder() {
        }

        /**
         * Sets the connection (URL, user, password) and any options named in the URI's query.
         *
         * @param uri {@code postgres://…}, {@code postgresql://…} or {@code jdbc:postgresql:…}
         * @return this
         * @throws IllegalArgumentException when the URI or an option in it is malformed
         */
        public Builder uri(String uri) {
            PostgresUri.Parsed p = PostgresUri.parse(uri, URI_OPTIONS);
            url = p.endpoint().url();
            user = p.endpoint().user();
            password = p.endpoint().password();
            UriQuery q = UriQuery.of(p.options());
            backplane = BackplaneOptions.bind(q, backplane.build()).toBuilder();
            q.take("schema").ifPresent(this::schema);
            q.take("tablePrefix").ifPresent(this::tablePrefix);
            q.takeBoolean("createSchema").ifPresent(this::createSchema);
            q.takeInt("attachmentThreshold").ifPresent(this::attachmentThreshold);
            q.takeDuration("attachmentMaxAge").ifPresent(this::attachmentMaxAge);
            q.takeDuration("attachmentCleanupPeriod").ifPresent(this::attachmentCleanupPeriod);
            q.takeInt("poolSize").ifPresent(this::poolSize);
            q.takeBoolean("asyncCommit").ifPresent(this::asyncCommit);
            q.take("listenUrl").ifPresent(this::listenUrl);
            q.requireEmpty("Postgres backplane");
            return this;
        }

        /** @param v a {@code jdbc:postgresql:} URL @return this */
        public Builder url(String v) {
            url = v;
            return this;
        }

        /** @param v the user @return this */
        public Builder user(String v) {
            user = v;
            return this;
        }

        /** @param v the password @return this */
        public Builder password(String v) {
            password = v;
            return this;
        }

        /** @param v the application's pool for publishing and storage; it is never closed by the backplane @return this */
        public Builder dataSource(DataSource v) {
            dataSource = v;
            return this;
        }

        /** @param v the URL of the LISTEN connection ({@code jdbc:postgresql:} or {@code postgres://}) @return this */
        public Builder listenUrl(String v) {
            listenUrl = PostgresUri.toJdbcUrl(v);
            return this;
        }

        /** @param v the options every backplane shares (default {@link BackplaneOptions#defaults()}) @return this */
        public Builder backplane(BackplaneOptions v) {
            backplane = v.toBuilder();
            return this;
        }

        /** @param v the channel prefix, the shared {@code namespace} @return this */
        public Builder channelPrefix(String v) {
            backplane.namespace(v);
            return this;
        }

        /** @param v the tables' schema @return this */
        public Builder schema(String v) {
            schema = v;
            return this;
        }

        /** @param v the tables' prefix @return this */
        public Builder tablePrefix(String v) {
            tablePrefix = v;
            return this;
        }

        /** @param v whether to create missing tables on start @return this */
        public Builder createSchema(boolean v) {
            createSchema = v;
            return this;
        }

        /** @param v the largest inline payload in bytes @return this */
        public Builder attachmentThreshold(int v) {
            attachmentThreshold = v;
            return this;
        }

        /** @param v the age past which attachments are deleted @return this */
        public Builder attachmentMaxAge(Duration v) {
            attachmentMaxAge = v;
            return this;
        }

        /** @param v how often old attachments are deleted @return this */
        public Builder attachmentCleanupPeriod(Duration v) {
            attachmentCleanupPeriod = v;
            return this;
        }

        /** @param min the first reconnect delay @param max the longest @return this @deprecated use {@link #backplane} */
        @Deprecated
        public Builder reconnectBackoff(Duration min, Duration max) {
            backplane.reconnectDelay(min, max);
            return this;
        }

        /** @param v the shared liveness interval @return this @deprecated use {@link #backplane} */
        @Deprecated
        public Builder probeInterval(Duration v) {
            backplane.livenessInterval(v);
            return this;
        }

        /** @param v the own HikariCP pool's most connections, and the durable-topic threads @return this */
        public Builder poolSize(int v) {
            poolSize = v;
            return this;
        }

        /** @param messages the most messages waiting @param bytes the most bytes waiting @return this @deprecated use {@link #backplane} */
        @Deprecated
        public Builder publishQueue(int messages, long bytes) {
            backplane.publishQueueMessages(messages).publishQueueBytes(bytes);
            return this;
        }

        /** @param v the most messages per publishing transaction @return this @deprecated use {@link #backplane} */
        @Deprecated
        public Builder publishBatchSize(int v) {
            backplane.publishBatchSize(v);
            return this;
        }

        /** @param v whether the publisher commits asynchronously @return this */
        public Builder asyncCommit(boolean v) {
            asyncCommit = v;
            return this;
        }

        /** @return validated options */
        public PostgresBackplaneOptions build() {
            return new PostgresBackplaneOptions(url, user, password, dataSource, listenUrl, schema, tablePrefix,
                    createSchema, attachmentThreshold, attachmentMaxAge, attachmentCleanupPeriod, poolSize,
                    asyncCommit, backplane.build());
        }
    }
}
