package dev.switchboard.crud.postgres;

import dev.switchboard.crud.Quota;
import dev.switchboard.postgres.internal.Durations;
import dev.switchboard.postgres.internal.Identifiers;
import dev.switchboard.postgres.internal.JdbcEndpoint;
import dev.switchboard.postgres.internal.PostgresUri;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Where a collection's table lives and how to reach it, for {@link PostgresRepository} and
 * {@link PostgresChangeFeed}. Immutable; build with {@link #builder(String)} or parse a URI with
 * {@link #of(String, String)}; validated at construction.
 *
 * @param url the {@code jdbc:postgresql:} URL; null only with both {@code dataSource} and
 *     {@code listenUrl} (or with a {@code dataSource} for a repository without change feed)
 * @param user the user, or null (from the URL or the driver's default)
 * @param password the password, or null; never printed by {@link #toString()}
 * @param dataSource the application's pool (any {@link DataSource}: a Spring Boot application's
 *     HikariCP, a container's) for the repository's queries, or null for a HikariCP pool of
 *     {@code poolSize} connections to {@code url} (default: none). The repository borrows a connection per
 *     call and never closes it. The change feed never uses it: it LISTENs on a dedicated pgjdbc connection
 *     to {@code listenUrl} or {@code url}.
 * @param listenUrl the URL of the change feed's dedicated LISTEN connection, or null for {@code url}
 * @param schema the table's schema (default {@code public})
 * @param table the table, quoted as given (the repository factory uses the collection's name)
 * @param channelPrefix the change feed's channel is {@code <prefix>_table_<table>} (with the schema
 *     before the table when it is not {@code public}); letters, digits and '_' (default
 *     {@code switchboard})
 * @param createTable create the table {@code (id text PK, version bigint, doc jsonb)}, its id sequence
 *     and its version trigger if missing (default true)
 * @param installTrigger install the change feed's NOTIFY trigger on the table if missing (default true)
 * @param reconnectMin the change feed's first reconnect delay (default 200 ms)
 * @param reconnectMax the change feed's longest reconnect delay (default 5 s)
 * @param probeInterval how long the change feed's connection may be silent before a probe (default 10 s)
 * @param poolSize the most connections of the repository's own HikariCP pool ({@code maximumPoolSize}),
 *     opened on demand, without a {@code dataSource}
 *     (default 4)
 * @param quota the repository's item-count and item-size limits (default none; URI options
 *     {@code maxItems} and {@code maxItemBytes})
 */
public record PostgresTableOptions(String url, String user, String password, DataSource dataSource,
                                   String listenUrl, String schema, String table, String channelPrefix,
                                   boolean createTable, boolean installTrigger, Duration reconnectMin,
                                   Duration reconnectMax, Duration probeInterval, int poolSize,
                                   Quota quota) {

    static final Set<String> URI_OPTIONS = Set.of("schema", "channelPrefix", "createTable", "installTrigger",
            "reconnectMin", "reconnectMax", "probeInterval", "poolSize", "maxItems", "maxItemBytes");

    /** Validates every field. */
    public PostgresTableOptions {
        if (url == null && dataSource == null) {
            throw new IllegalArgumentException("a url or a dataSource is needed");
        }
        if (url != null) {
            new JdbcEndpoint(url, user, password);
        }
        if (listenUrl != null) {
            new JdbcEndpoint(listenUrl, user, password);
        }
        Identifiers.check(schema, "schema");
        Identifiers.check(table, "table");
        Identifiers.check(Identifiers.derived(table, "_id_seq"), "table");
        Objects.requireNonNull(channelPrefix, "channelPrefix");
        if (!Identifiers.isPlain(channelPrefix) || channelPrefix.length() > 40) {
            throw new IllegalArgumentException("channelPrefix must be letters, digits and '_', at most 40: "
                    + channelPrefix);
        }
        for (Duration d : new Duration[] {reconnectMin, reconnectMax, probeInterval}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("durations must be positive: " + d);
            }
        }
        if (reconnectMax.compareTo(reconnectMin) < 0) {
            throw new IllegalArgumentException("reconnectMax must be at least reconnectMin");
        }
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be positive: " + poolSize);
        }
        Objects.requireNonNull(quota, "quota");
    }

    /**
     * @param uri {@code postgres://user:pass@host:port/db?schema=app}, {@code postgresql://…} or
     *     {@code jdbc:postgresql:…}; query parameters named like the options set them, the rest go to
     *     pgjdbc
     * @param table the table (the collection's name, for the repository factory)
     * @return the options
     * @throws IllegalArgumentException when the URI or an option in it is malformed
     */
    public static PostgresTableOptions of(String uri, String table) {
        return builder(table).uri(uri).build();
    }

    /** @param table the table @return a builder with the defaults */
    public static Builder builder(String table) {
        return new Builder(table);
    }

    /** @return a builder starting from these options */
    public Builder toBuilder() {
        Builder b = new Builder(table);
        b.url = url;
        b.user = user;
        b.password = password;
        b.dataSource = dataSource;
        b.listenUrl = listenUrl;
        b.schema = schema;
        b.channelPrefix = channelPrefix;
        b.createTable = createTable;
        b.installTrigger = installTrigger;
        b.reconnectMin = reconnectMin;
        b.reconnectMax = reconnectMax;
        b.probeInterval = probeInterval;
        b.poolSize = poolSize;
        b.quota = quota;
        return b;
    }

    /** @return the quoted, schema-qualified table */
    public String qualifiedTable() {
        return Identifiers.qualified(schema, table);
    }

    /** @return the change feed's channel */
    public String channel() {
        return Identifiers.channel(channelPrefix, "table_" + (schema.equals("public") ? "" : schema + "_") + table);
    }

    /** @return the options without the password */
    @Override
    public String toString() {
        return "PostgresTableOptions[url=" + (url == null ? null : PostgresUri.redact(url)) + ", user=" + user
                + ", dataSource=" + dataSource + ", schema=" + schema + ", table=" + table
                + ", channel=" + channel() + ", createTable=" + createTable + ", installTrigger=" + installTrigger
                + "]";
    }

    /** Builds {@link PostgresTableOptions}; every setter returns the builder. */
    public static final class Builder {
        private final String table;
        private String url;
        private String user;
        private String password;
        private DataSource dataSource;
        private String listenUrl;
        private String schema = "public";
        private String channelPrefix = "switchboard";
        private boolean createTable = true;
        private boolean installTrigger = true;
        private Duration reconnectMin = Duration.ofMillis(200);
        private Duration reconnectMax = Duration.ofSeconds(5);
        private Duration probeInterval = Duration.ofSeconds(10);
        private int poolSize = 4;
        private Quota quota = Quota.unlimited();

        private Builder(String table) {
            this.table = table;
        }

        /**
         * @param uri {@code postgres://…}, {@code postgresql://…} or {@code jdbc:postgresql:…}, with
         *     options as query parameters
         * @return this
         */
        public Builder uri(String uri) {
            PostgresUri.Parsed p = PostgresUri.parse(uri, URI_OPTIONS);
            url = p.endpoint().url();
            user = p.endpoint().user();
            password = p.endpoint().password();
            p.options().forEach((k, v) -> {
                try {
                    switch (k) {
                        case "schema" -> schema = v;
                        case "channelPrefix" -> channelPrefix = v;
                        case "createTable" -> createTable = !v.equalsIgnoreCase("false");
                        case "installTrigger" -> installTrigger = !v.equalsIgnoreCase("false");
                        case "reconnectMin" -> reconnectMin = Durations.parse(v);
                        case "reconnectMax" -> reconnectMax = Durations.parse(v);
                        case "probeInterval" -> probeInterval = Durations.parse(v);
                        case "poolSize" -> poolSize = Integer.parseInt(v);
                        case "maxItems" -> quota = Quota.of(Long.parseLong(v), quota.maxItemBytes());
                        case "maxItemBytes" -> quota = Quota.of(quota.maxItems(), Integer.parseInt(v));
                        default -> throw new IllegalArgumentException("unknown option");
                    }
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("bad URI option " + k + "=" + v + ": " + e.getMessage(), e);
                }
            });
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

        /** @param v the application's pool; the repository never closes it @return this */
        public Builder dataSource(DataSource v) {
            dataSource = v;
            return this;
        }

        /** @param v the change feed's LISTEN URL ({@code jdbc:postgresql:} or {@code postgres://}) @return this */
        public Builder listenUrl(String v) {
            listenUrl = PostgresUri.toJdbcUrl(v);
            return this;
        }

        /** @param v the schema @return this */
        public Builder schema(String v) {
            schema = v;
            return this;
        }

        /** @param v the channel prefix @return this */
        public Builder channelPrefix(String v) {
            channelPrefix = v;
            return this;
        }

        /** @param v whether to create the table if missing @return this */
        public Builder createTable(boolean v) {
            createTable = v;
            return this;
        }

        /** @param v whether to install the NOTIFY trigger if missing @return this */
        public Builder installTrigger(boolean v) {
            installTrigger = v;
            return this;
        }

        /** @param min the first reconnect delay @param max the longest @return this */
        public Builder reconnectBackoff(Duration min, Duration max) {
            reconnectMin = min;
            reconnectMax = max;
            return this;
        }

        /** @param v the probe interval @return this */
        public Builder probeInterval(Duration v) {
            probeInterval = v;
            return this;
        }

        /** @param v the own HikariCP pool's most connections @return this */
        public Builder poolSize(int v) {
            poolSize = v;
            return this;
        }

        /** @param v the repository's item-count and item-size limits (default none) @return this */
        public Builder quota(Quota v) {
            quota = v;
            return this;
        }

        /** @return validated options */
        public PostgresTableOptions build() {
            return new PostgresTableOptions(url, user, password, dataSource, listenUrl, schema, table, channelPrefix,
                    createTable, installTrigger, reconnectMin, reconnectMax, probeInterval, poolSize, quota);
        }
    }
}
