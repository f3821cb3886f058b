package dev.switchboard.crud.postgres;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.ErrorCode;
import dev.switchboard.SwitchboardException;
import dev.switchboard.crud.Page;
import dev.switchboard.crud.Query;
import dev.switchboard.crud.Quota;
import dev.switchboard.crud.Repository;
import dev.switchboard.crud.postgres.internal.CollectionSchema;
import dev.switchboard.crud.postgres.internal.Items;
import dev.switchboard.crud.postgres.internal.ListSql;
import dev.switchboard.postgres.internal.JdbcEndpoint;
import dev.switchboard.postgres.internal.Pools;
import dev.switchboard.postgres.internal.Sql;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A collection in a Postgres table {@code (id text PRIMARY KEY, version bigint, doc jsonb)}: the item's
 * fields other than {@code id} and {@code version} are the JSONB document. Ids come from the table's
 * sequence ({@code "1"}, {@code "2"}, …); rows inserted by other programs may use any text id.
 *
 * <pre>{@code
 * PostgresRepository tasks = PostgresRepository.create(PostgresTableOptions.of("postgres://app@db/app", "tasks"));
 * board.crud("tasks", tasks, CollectionOptions.builder()
 *     .fields("title", "status")
 *     .changeFeed(PostgresChangeFeed.create(PostgresTableOptions.of("postgres://app@db/app", "tasks"), "tasks"))
 *     .build());
 * }</pre>
 *
 * <p>Writes are single statements: {@code replace} is {@code UPDATE … SET doc = ?, version = version + 1
 * WHERE id = ? AND version = ?}, so of two concurrent writers with the same expected version exactly
 * one matches the row and the other gets {@code conflict}. A BEFORE UPDATE trigger bumps the version
 * of updates made elsewhere (psql, another service). LIST is translated to parameterised SQL with
 * {@link dev.switchboard.crud.InMemoryRepository}'s filter and sort semantics; field names in sort and
 * filters are limited to letters, digits, '_', '.' and '-' ({@code bad_request} otherwise).
 *
 * <p>Connections come from the application's {@link DataSource} when the options give one, else from a
 * HikariCP pool of the repository's own ({@link PostgresTableOptions#poolSize()} connections, opened on
 * demand, closed by {@link #close()}). Methods block on JDBC (they run on Switchboard's handler threads)
 * and are thread-safe. An unreachable server is {@code unavailable} (after at most 5 s waiting for a
 * connection from the own pool); other SQL failures are {@code internal}.
 */
public final class PostgresRepository implements Repository, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PostgresRepository.class);

    private final PostgresTableOptions options;
    private final CollectionSchema schema;
    private final DataSource dataSource;
    private final HikariDataSource ownPool;
    private final String table;
    private volatile boolean tableReady;

    private PostgresRepository(PostgresTableOptions options) {
        this.options = options;
        this.schema = new CollectionSchema(options.schema(), options.table());
        this.table = schema.table();
        if (options.dataSource() != null) {
            this.dataSource = options.dataSource();
            this.ownPool = null;
        } else {
            this.ownPool = Pools.open(new JdbcEndpoint(options.url(), options.user(), options.password()),
                    options.poolSize(), "repository");
            this.dataSource = ownPool;
        }
        this.tableReady = !options.createTable();
        try {
            ensureTable();
        } catch (SwitchboardException e) {
            log.warn("Could not create table {} yet (will retry on first use): {}", table, e.getMessage());
        }
    }

    /**
     * Creates the repository and, with {@link PostgresTableOptions#createTable()}, its table if missing
     * (retried on first use when the server is down now).
     *
     * @param options where the table is
     * @return the repository
     */
    public static PostgresRepository create(PostgresTableOptions options) {
        return new PostgresRepository(Objects.requireNonNull(options, "options"));
    }

    /**
     * A repository on the application's own pool, e.g. a Spring Boot application's {@code DataSource} bean;
     * the repository borrows a connection per call and never closes the pool.
     *
     * @param dataSource the application's pool
     * @param table the table, in schema {@code public}, created if missing
     * @return the repository
     */
    public static PostgresRepository create(DataSource dataSource, String table) {
        return create(PostgresTableOptions.builder(table).dataSource(dataSource).build());
    }

    /**
     * @param options names the table
     * @return the DDL of the table and its triggers, for teams that manage migrations themselves
     */
    public static String schemaSql(PostgresTableOptions options) {
        return new CollectionSchema(options.schema(), options.table()).script(options.channel());
    }

    /** @return the options */
    public PostgresTableOptions options() {
        return options;
    }

    @Override
    public Optional<ObjectNode> get(String id) {
        Objects.requireNonNull(id, "id");
        return call("get " + id, true, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, version, doc::text FROM " + table
                    + " WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(item(rs)) : Optional.<ObjectNode>empty();
                }
            }
        });
    }

    @Override
    public Page list(Query query) {
        Objects.requireNonNull(query, "query");
        ListSql.Statement page = ListSql.page(table, query);
        return call("list", true, c -> {
            List<ObjectNode> items = new ArrayList<>();
            long total = -1;
            try (PreparedStatement ps = prepare(c, page)) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(item(rs));
                        total = rs.getLong(4);
                    }
                }
            }
            if (total < 0) {
                // Past the last page the window count has no row to ride on.
                try (PreparedStatement ps = prepare(c, ListSql.count(table, query)); ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            return new Page(items, query.page(), query.size(), total);
        });
    }

    @Override
    public ObjectNode create(ObjectNode item) {
        String doc = Items.document(Objects.requireNonNull(item, "item"));
        Quota quota = options.quota();
        quota.checkItemBytes(doc.getBytes(StandardCharsets.UTF_8).length);
        // With a count quota the insert happens only while the table holds fewer rows, in one statement.
        String sql = quota.maxItems() > 0
                ? "INSERT INTO " + table + " (doc) SELECT ?::jsonb WHERE (SELECT count(*) FROM " + table
                        + ") < ? RETURNING id, version, doc::text"
                : "INSERT INTO " + table + " (doc) VALUES (?::jsonb) RETURNING id, version, doc::text";
        return call("create", c -> {
            for (int attempt = 1; ; attempt++) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, doc);
                    if (quota.maxItems() > 0) {
                        ps.setLong(2, quota.maxItems());
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            quota.checkCreate(quota.maxItems());
                        }
                        return item(rs);
                    }
                } catch (SQLException e) {
                    // Another program inserted a row with the id the sequence just gave: take the next.
                    if (!"23505".equals(e.getSQLState()) || attempt >= 5) {
                        throw e;
                    }
                }
            }
        });
    }

    @Override
    public ObjectNode replace(String id, ObjectNode item, Long expectedVersion) {
        Objects.requireNonNull(id, "id");
        String doc = Items.document(Objects.requireNonNull(item, "item"));
        options.quota().checkItemBytes(doc.getBytes(StandardCharsets.UTF_8).length);
        return call("replace " + id, c -> {
            String sql = "UPDATE " + table + " SET doc = ?::jsonb, version = version + 1 WHERE id = ?"
                    + (expectedVersion != null ? " AND version = ?" : "") + " RETURNING id, version, doc::text";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, doc);
                ps.setString(2, id);
                if (expectedVersion != null) {
                    ps.setLong(3, expectedVersion);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return item(rs);
                    }
                }
            }
            throw missOrConflict(c, id, expectedVersion, true);
        });
    }

    @Override
    public Optional<ObjectNode> delete(String id, Long expectedVersion) {
        Objects.requireNonNull(id, "id");
        return call("delete " + id, c -> {
            String sql = "DELETE FROM " + table + " WHERE id = ?" + (expectedVersion != null ? " AND version = ?" : "")
                    + " RETURNING id, version, doc::text";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, id);
                if (expectedVersion != null) {
                    ps.setLong(2, expectedVersion);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return Optional.of(item(rs));
                    }
                }
            }
            if (expectedVersion != null) {
                SwitchboardException e = missOrConflict(c, id, expectedVersion, false);
                if (e != null) {
                    throw e;
                }
            }
            return Optional.<ObjectNode>empty();
        });
    }

    /** Why a versioned write matched no row: gone ({@code not_found}, or null when absence is fine) or newer. */
    private SwitchboardException missOrConflict(Connection c, String id, Long expected, boolean missingIsError)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT version FROM " + table + " WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && expected != null) {
                    return new SwitchboardException(ErrorCode.CONFLICT,
                            id + " is at version " + rs.getLong(1) + ", not " + expected);
                }
            }
        }
        return missingIsError ? new SwitchboardException(ErrorCode.NOT_FOUND, id + " does not exist") : null;
    }

    private static ObjectNode item(ResultSet rs) throws SQLException {
        return Items.item(rs.getString(1), rs.getLong(2), rs.getString(3));
    }

    private static PreparedStatement prepare(Connection c, ListSql.Statement s) throws SQLException {
        PreparedStatement ps = c.prepareStatement(s.sql());
        for (int i = 0; i < s.params().size(); i++) {
            ps.setObject(i + 1, s.params().get(i));
        }
        return ps;
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T call(String what, Work<T> work) {
        return call(what, false, work);
    }

    /**
     * Runs work on a pooled connection. A read ({@code retry}) whose connection died under it (a server
     * restart the pool had not noticed yet) runs once more on a fresh connection; when no connection can be
     * had at all, there is nothing to retry.
     */
    private <T> T call(String what, boolean retry, Work<T> work) {
        ensureTable();
        for (int attempt = 1; ; attempt++) {
            Connection borrowed;
            try {
                borrowed = dataSource.getConnection();
            } catch (SQLException e) {
                throw Sql.storageFailure(options.table() + ": " + what + " failed", e);
            }
            try (Connection c = borrowed) {
                return work.run(c);
            } catch (SQLException e) {
                if (retry && attempt == 1 && Sql.isOutage(e)) {
                    if (ownPool != null) {
                        Pools.evictIdle(ownPool);
                    }
                    continue;
                }
                throw Sql.storageFailure(options.table() + ": " + what + " failed", e);
            }
        }
    }

    private void ensureTable() {
        if (tableReady) {
            return;
        }
        synchronized (this) {
            if (tableReady) {
                return;
            }
            try (Connection c = dataSource.getConnection()) {
                schema.ensureTable(c);
                tableReady = true;
            } catch (SQLException e) {
                throw Sql.storageFailure("creating table " + table + " failed", e);
            }
        }
    }

    /** Closes the repository's own pool, if it has one (not an application's {@code DataSource}). Idempotent. */
    @Override
    public void close() {
        if (ownPool != null) {
            ownPool.close();
        }
    }

    @Override
    public String toString() {
        return "PostgresRepository[" + table + "]";
    }
}
