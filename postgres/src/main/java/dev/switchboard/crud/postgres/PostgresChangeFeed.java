package dev.switchboard.crud.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.crud.ChangeEvent;
import dev.switchboard.crud.ChangeFeed;
import dev.switchboard.crud.postgres.internal.CollectionSchema;
import dev.switchboard.crud.postgres.internal.Items;
import dev.switchboard.postgres.internal.Identifiers;
import dev.switchboard.postgres.internal.JdbcEndpoint;
import dev.switchboard.postgres.internal.ListenLoop;
import dev.switchboard.spi.ReconnectBackoff;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every INSERT, UPDATE and DELETE on a table, by whatever program (the application, psql, another
 * service), as {@code ADDED} / {@code MODIFIED} / {@code DELETED} for collection {@code <name>}. On each
 * (re)connect it installs, if missing, a row trigger that NOTIFYs the change on the table's channel
 * (installing twice leaves one trigger), then LISTENs on its own connection and thread, reconnecting
 * with jittered exponential backoff like the backplane.
 *
 * <p>For a {@link PostgresRepository} table ({@link #create}) the items have exactly the repository's
 * shape, {@code {"id", …doc, "version"}}; {@link #forTable} serves a table of any shape, the row as JSON.
 * A row too large for a NOTIFY payload is announced by key and read back (so its state at read time is
 * delivered; if it is already gone, the change is skipped and the DELETE that removed it follows).
 *
 * <p>Limits: changes made while the feed's connection is down are not replayed (NOTIFY is not
 * stored); {@code TRUNCATE} fires no row trigger. The sink runs on the feed's thread.
 */
public final class PostgresChangeFeed implements ChangeFeed {
    private static final Logger log = LoggerFactory.getLogger(PostgresChangeFeed.class);

    private final PostgresTableOptions options;
    private final String collection;
    private final boolean document;
    private final String keyColumn;
    private final CollectionSchema schema;
    private volatile ListenLoop loop;
    private volatile boolean closed;

    private PostgresChangeFeed(PostgresTableOptions options, String collection, boolean document, String keyColumn) {
        this.options = Objects.requireNonNull(options, "options");
        this.collection = Objects.requireNonNull(collection, "collection");
        this.document = document;
        this.keyColumn = Identifiers.check(keyColumn, "keyColumn");
        this.schema = new CollectionSchema(options.schema(), options.table());
        if (options.url() == null && options.listenUrl() == null) {
            throw new IllegalArgumentException("a change feed needs a url or listenUrl for its LISTEN connection");
        }
    }

    /**
     * The feed of a {@link PostgresRepository}'s table (creating the table too, if the options say so).
     *
     * @param options where the table is
     * @param collection the collection's name, as registered with {@code board.crud}
     * @return the unstarted feed
     */
    public static PostgresChangeFeed create(PostgresTableOptions options, String collection) {
        return new PostgresChangeFeed(options, collection, true, "id");
    }

    /**
     * The feed of any table: items are its rows as JSON ({@code to_jsonb(row)}), ids the text of
     * {@code keyColumn}.
     *
     * @param options where the table is ({@code createTable} is ignored: the table must exist)
     * @param collection the collection's name
     * @param keyColumn the column that identifies a row
     * @return the unstarted feed
     */
    public static PostgresChangeFeed forTable(PostgresTableOptions options, String collection, String keyColumn) {
        return new PostgresChangeFeed(options, collection, false, keyColumn);
    }

    /** Starts listening in the background; returns at once, also while the server is down. */
    @Override
    public synchronized void start(Consumer<ChangeEvent> sink) {
        Objects.requireNonNull(sink, "sink");
        if (loop != null || closed) {
            throw new IllegalStateException("change feed already started or closed");
        }
        String url = options.listenUrl() != null ? options.listenUrl() : options.url();
        loop = new ListenLoop("switchboard-pg-feed-" + collection, new JdbcEndpoint(url, options.user(),
                options.password()), List.of(options.channel()), new ListenLoop.Handler() {
                    @Override
                    public void connected(Connection c) throws SQLException {
                        if (document && options.createTable()) {
                            schema.ensureTable(c);
                        }
                        if (options.installTrigger()) {
                            schema.ensureNotifyTrigger(c, options.channel(), document ? "document" : "row", keyColumn);
                        }
                    }

                    @Override
                    public void notification(Connection c, PGNotification n) {
                        ChangeEvent e = toEvent(c, n.getParameter());
                        if (e != null && !closed) {
                            try {
                                sink.accept(e);
                            } catch (RuntimeException ex) {
                                log.error("Change feed sink of {} failed", collection, ex);
                            }
                        }
                    }
                }, new ReconnectBackoff(options.reconnectMin(), options.reconnectMax()), options.probeInterval());
        loop.start();
    }

    /** @return true while the feed is listening (changes made now will be delivered) */
    public boolean isListening() {
        ListenLoop l = loop;
        return l != null && l.listening();
    }

    /** @return why the feed is not listening, or what it listens on */
    public String detail() {
        ListenLoop l = loop;
        return l == null ? "not started" : l.detail();
    }

    private ChangeEvent toEvent(Connection c, String payload) {
        JsonNode p;
        try {
            p = Items.parse(payload);
        } catch (IllegalArgumentException e) {
            log.warn("Ignoring a notification on {} that is not a change: {}", options.channel(), e.getMessage());
            return null;
        }
        String op = p.path("op").asText("");
        JsonNode idNode = p.get("id");
        if (idNode == null || idNode.isNull()) {
            log.warn("Ignoring a change on {} without key {}", options.qualifiedTable(), keyColumn);
            return null;
        }
        String id = idNode.asText();
        if (op.equals("D")) {
            return new ChangeEvent(ChangeEvent.Type.DELETED, collection, id,
                    JsonNodeFactory.instance.objectNode().put("id", id));
        }
        ChangeEvent.Type type = op.equals("I") ? ChangeEvent.Type.ADDED : ChangeEvent.Type.MODIFIED;
        ObjectNode item;
        if (p.path("large").asBoolean(false)) {
            item = readBack(c, id);
            if (item == null) {
                log.debug("Changed row {} of {} is gone before it was read; skipped", id, options.qualifiedTable());
                return null;
            }
        } else if (document) {
            item = Items.item(id, p.path("version").asLong(), p.get("doc"));
        } else if (p.get("row") instanceof ObjectNode row) {
            item = row;
        } else {
            log.warn("Ignoring a change on {} without row", options.qualifiedTable());
            return null;
        }
        return new ChangeEvent(type, collection, id, item);
    }

    private ObjectNode readBack(Connection c, String id) {
        String table = options.qualifiedTable();
        String sql = document
                ? "SELECT id, version, doc::text FROM " + table + " WHERE id = ?"
                : "SELECT to_jsonb(t)::text FROM " + table + " t WHERE t." + Identifiers.quote(keyColumn) + "::text = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return document ? Items.item(rs.getString(1), rs.getLong(2), rs.getString(3))
                        : (ObjectNode) Items.parse(rs.getString(1));
            }
        } catch (SQLException e) {
            log.warn("Reading back changed row {} of {} failed; the change is skipped: {}", id, table, e.toString());
            return null;
        }
    }

    /** Stops listening and closes the connection. Idempotent. */
    @Override
    public void close() {
        ListenLoop l;
        synchronized (this) {
            closed = true;
            l = loop;
        }
        if (l != null) {
            l.close();
        }
    }

    @Override
    public String toString() {
        return "PostgresChangeFeed[" + options.qualifiedTable() + " -> collection:" + collection + "]";
    }
}
