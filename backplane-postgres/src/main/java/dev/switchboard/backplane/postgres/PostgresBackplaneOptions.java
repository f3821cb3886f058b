package dev.switchboard.backplane.postgres;

import dev.switchboard.backplane.postgres.internal.Durations;
import dev.switchboard.backplane.postgres.internal.Identifiers;
import dev.switchboard.backplane.postgres.internal.JdbcEndpoint;
import dev.switchboard.backplane.postgres.internal.Payloads;
import dev.switchboard.backplane.postgres.internal.PostgresUri;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;

/**
 * How a {@link PostgresBackplane} connects and behaves. Immutable; build with {@link #builder()} or
 * parse a URI with {@link #of(String)}; validated at construction.
 *
 * <pre>{@code
 * PostgresBackplaneOptions.of("postgres://app:secret@db:5432/app?channelPrefix=shop");
 * PostgresBackplaneOptions.builder()
 *     .dataSource(hikari)                                  // publishing, durable topics, attachments
 *     .listenUrl("jdbc:postgresql://db:5432/app?user=app") // the dedicated LISTEN connection
 *     .build();
 * }</pre>
 *
 * @param url the {@code jdbc:postgresql:} URL for the LISTEN connection and, without a
 *     {@code dataSource}, for the backplane's own small pool; null only with both {@code dataSource}
 *     and {@code listenUrl}
 * @param user the user, or null (from the URL or the driver's default)
 * @param password the password, or null; never printed by {@link #toString()}
 * @param dataSource the application's pool for publishing, durable topics and attachments, or null
 *     to use a pool of {@code poolSize} connections to {@code url} (default: none). It must not be a
 *     PgBouncer in transaction mode for LISTEN, which is why LISTEN always uses {@code listenUrl}.
 * @param listenUrl the URL of the dedicated LISTEN connection, or null for {@code url} (default)
 * @param channelPrefix the notification channels' prefix: {@code <prefix>_all} and
 *     {@code <prefix>_node_<nodeId>}; letters, digits and '_', at most 40 characters (default
 *     {@code switchboard})
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
 * @param reconnectMin the first reconnect delay; later ones double, with jitter (default 200 ms)
 * @param reconnectMax the longest reconnect delay (default 5 s)
 * @param probeInterval how long the LISTEN connection may be silent before a probe query checks it
 *     (default 10 s)
 * @param poolSize the connections of the backplane's own pool when no {@code dataSource} is given
 *     (default 4)
 * @param publishQueueSize the most messages waiting to be published; past it they are dropped
 *     (default 10,000)
 * @param publishQueueBytes the most bytes waiting to be published; past it messages are dropped
 *     (default 64 MiB)
 * @param publishBatchSize the most messages sent in one transaction (default 100)
 * @param asyncCommit commit the publisher's own transactions with {@code synchronous_commit = off};
 *     notifications are never stored, so nothing is lost that a flush would have kept (default true)
 */
public record PostgresBackplaneOptions(String url, String user, String password, DataSource dataSource,
                                       String listenUrl, String channelPrefix, String schema, String tablePrefix,
                                       boolean createSchema, int attachmentThreshold, Duration attachmentMaxAge,
                                       Duration attachmentCleanupPeriod, Duration reconnectMin,
                                       Duration reconnectMax, Duration probeInterval, int poolSize,
                                       int publishQueueSize, long publishQueueBytes, int publishBatchSize,
                                       boolean asyncCommit) {

    /** The URI query parameters that set options (everything else goes to pgjdbc). */
    static final Set<String> URI_OPTIONS = Set.of("channelPrefix", "schema", "tablePrefix", "createSchema",
            "attachmentThreshold", "attachmentMaxAge", "attachmentCleanupPeriod", "reconnectMin", "reconnectMax",
            "probeInterval", "poolSize", "publishQueueSize", "publishQueueBytes", "publishBatchSize",
            "asyncCommit", "listenUrl");

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
        requirePlain(channelPrefix, "channelPrefix");
        requirePlain(tablePrefix, "tablePrefix");
        Identifiers.check(schema, "schema");
        if (attachmentThreshold < 64 || attachmentThreshold > Payloads.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("attachmentThreshold must be between 64 and "
                    + Payloads.MAX_PAYLOAD_BYTES + ": " + attachmentThreshold);
        }
        requirePositive(attachmentMaxAge, "attachmentMaxAge");
        requirePositive(attachmentCleanupPeriod, "attachmentCleanupPeriod");
        requirePositive(reconnectMin, "reconnectMin");
        requirePositive(reconnectMax, "reconnectMax");
        requirePositive(probeInterval, "probeInterval");
        if (reconnectMax.compareTo(reconnectMin) < 0) {
            throw new IllegalArgumentException("reconnectMax must be at least reconnectMin");
        }
        if (poolSize < 1 || publishQueueSize < 1 || publishQueueBytes < 1 || publishBatchSize < 1) {
            throw new IllegalArgumentException("poolSize, publishQueueSize, publishQueueBytes and publishBatchSize "
                    + "must be positive");
        }
    }

    /**
     * @param uri {@code postgres://user:pass@host:port/db?…}, {@code postgresql://…} or
     *     {@code jdbc:postgresql://…}; query parameters named like the options set them (durations as
     *     {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h} or ISO-8601), the rest go to pgjdbc
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

    /** @return a builder starting from these options */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.url = url;
        b.user = user;
        b.password = password;
        b.dataSource = dataSource;
        b.listenUrl = listenUrl;
        b.channelPrefix = channelPrefix;
        b.schema = schema;
        b.tablePrefix = tablePrefix;
        b.createSchema = createSchema;
        b.attachmentThreshold = attachmentThreshold;
        b.attachmentMaxAge = attachmentMaxAge;
        b.attachmentCleanupPeriod = attachmentCleanupPeriod;
        b.reconnectMin = reconnectMin;
        b.reconnectMax = reconnectMax;
        b.probeInterval = probeInterval;
        b.poolSize = poolSize;
        b.publishQueueSize = publishQueueSize;
        b.publishQueueBytes = publishQueueBytes;
        b.publishBatchSize = publishBatchSize;
        b.asyncCommit = asyncCommit;
        return b;
    }

    /** @return the options without the password */
    @Override
    public String toString() {
        return "PostgresBackplaneOptions[url=" + (url == null ? null : PostgresUri.redact(url)) + ", user=" + user
                + ", password=" + (password == null ? null : "****") + ", dataSource=" + dataSource
                + ", listenUrl=" + (listenUrl == null ? null : PostgresUri.redact(listenUrl))
                + ", channelPrefix=" + channelPrefix + ", schema=" + schema + ", tablePrefix=" + tablePrefix
                + ", createSchema=" + createSchema + ", attachmentThreshold=" + attachmentThreshold
                + ", attachmentMaxAge=" + attachmentMaxAge + ", attachmentCleanupPeriod=" + attachmentCleanupPeriod
                + ", reconnectMin=" + reconnectMin + ", reconnectMax=" + reconnectMax
                + ", probeInterval=" + probeInterval + ", poolSize=" + poolSize
                + ", publishQueueSize=" + publishQueueSize + ", publishQueueBytes=" + publishQueueBytes
                + ", publishBatchSize=" + publishBatchSize + ", asyncCommit=" + asyncCommit + "]";
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
        private String channelPrefix = "switchboard";
        private String schema = "public";
        private String tablePrefix = "switchboard";
        private boolean createSchema = true;
        private int attachmentThreshold = 7900;
        private Duration attachmentMaxAge = Duration.ofMinutes(5);
        private Duration attachmentCleanupPeriod = Duration.ofMinutes(1);
        private Duration reconnectMin = Duration.ofMillis(200);
        private Duration reconnectMax = Duration.ofSeconds(5);
        private Duration probeInterval = Duration.ofSeconds(10);
        private int poolSize = 4;
        private int publishQueueSize = 10_000;
        private long publishQueueBytes = 64L << 20;
        private int publishBatchSize = 100;
        private boolean asyncCommit = true;

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
            UriOptions.apply(p.options(), this);
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

        /** @param v the application's pool for publishing and storage @return this */
        public Builder dataSource(DataSource v) {
            dataSource = v;
            return this;
        }

        /** @param v the URL of the LISTEN connection ({@code jdbc:postgresql:} or {@code postgres://}) @return this */
        public Builder listenUrl(String v) {
            listenUrl = PostgresUri.toJdbcUrl(v);
            return this;
        }

        /** @param v the channel prefix @return this */
        public Builder channelPrefix(String v) {
            channelPrefix = v;
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

        /** @param min the first reconnect delay @param max the longest @return this */
        public Builder reconnectBackoff(Duration min, Duration max) {
            reconnectMin = min;
            reconnectMax = max;
            return this;
        }

        /** @param v the LISTEN connection's probe interval @return this */
        public Builder probeInterval(Duration v) {
            probeInterval = v;
            return this;
        }

        /** @param v the own pool's size @return this */
        public Builder poolSize(int v) {
            poolSize = v;
            return this;
        }

        /** @param messages the most messages waiting @param bytes the most bytes waiting @return this */
        public Builder publishQueue(int messages, long bytes) {
            publishQueueSize = messages;
            publishQueueBytes = bytes;
            return this;
        }

        /** @param v the most messages per publishing transaction @return this */
        public Builder publishBatchSize(int v) {
            publishBatchSize = v;
            return this;
        }

        /** @param v whether the publisher commits asynchronously @return this */
        public Builder asyncCommit(boolean v) {
            asyncCommit = v;
            return this;
        }

        /** @return validated options */
        public PostgresBackplaneOptions build() {
            return new PostgresBackplaneOptions(url, user, password, dataSource, listenUrl, channelPrefix, schema,
                    tablePrefix, createSchema, attachmentThreshold, attachmentMaxAge, attachmentCleanupPeriod,
                    reconnectMin, reconnectMax, probeInterval, poolSize, publishQueueSize, publishQueueBytes,
                    publishBatchSize, asyncCommit);
        }
    }

    /** Applies URI query options to a builder. */
    private static final class UriOptions {
        private UriOptions() {
        }

        static void apply(Map<String, String> o, Builder b) {
            o.forEach((k, v) -> {
                try {
                    switch (k) {
                        case "channelPrefix" -> b.channelPrefix(v);
                        case "schema" -> b.schema(v);
                        case "tablePrefix" -> b.tablePrefix(v);
                        case "createSchema" -> b.createSchema(bool(v));
                        case "attachmentThreshold" -> b.attachmentThreshold(Integer.parseInt(v));
                        case "attachmentMaxAge" -> b.attachmentMaxAge(Durations.parse(v));
                        case "attachmentCleanupPeriod" -> b.attachmentCleanupPeriod(Durations.parse(v));
                        case "reconnectMin" -> b.reconnectMin = Durations.parse(v);
                        case "reconnectMax" -> b.reconnectMax = Durations.parse(v);
                        case "probeInterval" -> b.probeInterval(Durations.parse(v));
                        case "poolSize" -> b.poolSize(Integer.parseInt(v));
                        case "publishQueueSize" -> b.publishQueueSize = Integer.parseInt(v);
                        case "publishQueueBytes" -> b.publishQueueBytes = Long.parseLong(v);
                        case "publishBatchSize" -> b.publishBatchSize(Integer.parseInt(v));
                        case "asyncCommit" -> b.asyncCommit(bool(v));
                        case "listenUrl" -> b.listenUrl(v);
                        default -> throw new IllegalArgumentException("unknown option");
                    }
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("bad URI option " + k + "=" + v + ": " + e.getMessage(), e);
                }
            });
        }

        private static boolean bool(String v) {
            if (v.equalsIgnoreCase("true") || v.isEmpty()) {
                return true;
            }
            if (v.equalsIgnoreCase("false")) {
                return false;
            }
            throw new IllegalArgumentException("expected true or false");
        }
    }
}
