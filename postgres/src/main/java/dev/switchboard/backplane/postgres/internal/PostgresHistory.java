package dev.switchboard.backplane.postgres.internal;

import dev.switchboard.BackplaneException;
import dev.switchboard.Retention;
import dev.switchboard.StreamPosition;
import dev.switchboard.postgres.internal.Sql;
import dev.switchboard.spi.History;
import dev.switchboard.spi.HistoryEntry;
import dev.switchboard.spi.HistoryRead;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import javax.sql.DataSource;

/**
 * Durable topics in two tables: {@code topics(topic PK, epoch, last_offset)} and
 * {@code history(topic, offset, ts, message, PK(topic, offset))}.
 *
 * <p>An append is one transaction: an upsert of the topic row that increments {@code last_offset}
 * (its row lock serialises concurrent appenders on every node, so offsets are consecutive and never
 * repeat), the insert of the entry with that offset, then the trim by count and age. A read is one
 * statement, so the topic's latest position and the entries come from one snapshot; entries above
 * that position are never returned. The epoch is chosen when the topic row is created (by the first
 * append or read) and lives as long as the row: a database that lost the row (restored empty,
 * tables dropped) starts a new epoch from offset 1.
 *
 * <p>Calls run on the given executor and never block the caller; failures complete the future with a
 * {@link BackplaneException}.
 */
public final class PostgresHistory implements History {
    private final DataSource dataSource;
    private final Executor executor;
    private final String upsertAndInsert;
    private final String trimByCount;
    private final String trimByAge;
    private final String ensureTopic;
    private final String read;

    /**
     * @param dataSource where connections come from
     * @param schema names the tables
     * @param executor runs the blocking JDBC calls
     */
    public PostgresHistory(DataSource dataSource, BackplaneSchema schema, Executor executor) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.executor = Objects.requireNonNull(executor, "executor");
        String topics = schema.topics();
        String history = schema.history();
        this.upsertAndInsert = "WITH t AS (INSERT INTO " + topics + " AS t (topic, epoch, last_offset) VALUES (?, ?, 1)"
                + " ON CONFLICT (topic) DO UPDATE SET last_offset = t.last_offset + 1 RETURNING epoch, last_offset),"
                + " h AS (INSERT INTO " + history + " (topic, \"offset\", message)"
                + " SELECT ?, last_offset, ? FROM t RETURNING \"offset\")"
                + " SELECT t.epoch, t.last_offset FROM t, h";
        this.trimByCount = "DELETE FROM " + history + " WHERE topic = ? AND \"offset\" <= ?";
        this.trimByAge = "DELETE FROM " + history
                + " WHERE topic = ? AND ts < clock_timestamp() - ? * interval '1 millisecond'";
        this.ensureTopic = "INSERT INTO " + topics + " (topic, epoch, last_offset) VALUES (?, ?, 0)"
                + " ON CONFLICT (topic) DO NOTHING";
        this.read = "SELECT t.epoch, t.last_offset, h.\"offset\","
                + " (extract(epoch FROM h.ts) * 1000)::bigint, h.message"
                + " FROM " + topics + " t LEFT JOIN LATERAL (SELECT \"offset\", ts, message FROM " + history
                + " WHERE topic = t.topic AND \"offset\" > ? AND \"offset\" <= t.last_offset"
                + " ORDER BY \"offset\" LIMIT ?) h ON true WHERE t.topic = ? ORDER BY h.\"offset\"";
    }

    @Override
    public CompletableFuture<StreamPosition> append(String topic, byte[] message, Retention retention) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(retention, "retention");
        return run("append to " + topic, () -> {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    // The append hands out the offset: it must be on disk before anyone hears of it, even on
                    // a server that commits asynchronously, or a crash hands the offset out again in the
                    // same epoch, to another message.
                    try (java.sql.Statement st = c.createStatement()) {
                        st.execute("SET LOCAL synchronous_commit = on");
                    }
                    StreamPosition p = appendIn(c, topic, message, retention);
                    c.commit();
                    return p;
                } catch (SQLException | RuntimeException e) {
                    Sql.rollbackQuietly(c, e);
                    throw e;
                } finally {
                    Sql.restoreAutoCommit(c, true);
                }
            }
        });
    }

    private StreamPosition appendIn(Connection c, String topic, byte[] message, Retention retention)
            throws SQLException {
        StreamPosition p;
        try (PreparedStatement ps = c.prepareStatement(upsertAndInsert)) {
            ps.setString(1, topic);
            ps.setString(2, newEpoch());
            ps.setString(3, topic);
            ps.setBytes(4, message);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                p = new StreamPosition(rs.getString(1), rs.getLong(2));
            }
        }
        // A statement of its own, so its snapshot sees every entry committed before this one's row
        // lock was granted (in READ COMMITTED), and the count bound holds under concurrency too.
        long keepFrom = p.offset() - retention.maxMessages();
        if (keepFrom > 0) {
            try (PreparedStatement ps = c.prepareStatement(trimByCount)) {
                ps.setString(1, topic);
                ps.setLong(2, keepFrom);
                ps.executeUpdate();
            }
        }
        if (retention.maxAgeMillis() > 0) {
            try (PreparedStatement ps = c.prepareStatement(trimByAge)) {
                ps.setString(1, topic);
                ps.setLong(2, retention.maxAgeMillis());
                ps.executeUpdate();
            }
        }
        return p;
    }

    @Override
    public CompletableFuture<HistoryRead> read(String topic, long afterOffset, int limit) {
        Objects.requireNonNull(topic, "topic");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0: " + limit);
        }
        return run("read " + topic, () -> {
            try (Connection c = dataSource.getConnection()) {
                HistoryRead r = select(c, topic, afterOffset, limit);
                if (r != null) {
                    return r;
                }
                try (PreparedStatement ps = c.prepareStatement(ensureTopic)) {
                    ps.setString(1, topic);
                    ps.setString(2, newEpoch());
                    ps.executeUpdate();
                }
                r = select(c, topic, afterOffset, limit);
                if (r == null) {
                    throw new SQLException("topic row of " + topic + " vanished while being created");
                }
                return r;
            }
        });
    }

    private HistoryRead select(Connection c, String topic, long afterOffset, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(read)) {
            ps.setLong(1, afterOffset);
            ps.setInt(2, limit);
            ps.setString(3, topic);
            try (ResultSet rs = ps.executeQuery()) {
                StreamPosition latest = null;
                List<HistoryEntry> entries = new ArrayList<>();
                while (rs.next()) {
                    latest = new StreamPosition(rs.getString(1), rs.getLong(2));
                    long offset = rs.getLong(3);
                    if (!rs.wasNull()) {
                        entries.add(new HistoryEntry(offset, rs.getLong(4), rs.getBytes(5)));
                    }
                }
                return latest == null ? null : new HistoryRead(latest, entries);
            }
        }
    }

    private static String newEpoch() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private interface Call<T> {
        T run() throws SQLException;
    }

    private <T> CompletableFuture<T> run(String what, Call<T> call) {
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    f.complete(call.run());
                } catch (SQLException e) {
                    f.completeExceptionally(Sql.backplaneFailure("durable topic " + what + " failed", e));
                } catch (RuntimeException e) {
                    f.completeExceptionally(new BackplaneException("durable topic " + what + " failed", e));
                }
            });
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(new BackplaneException("durable topic " + what
                    + " rejected: too many calls waiting, or closed", e));
        }
        return f;
    }
}
