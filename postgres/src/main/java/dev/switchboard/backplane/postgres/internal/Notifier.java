package dev.switchboard.backplane.postgres.internal;

import dev.switchboard.postgres.internal.Sql;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.PGConnection;

/**
 * Turns messages into notifications on a given connection: inline payloads, or an attachment row plus
 * a reference for large ones. {@link #publishBatch} sends a whole batch in one transaction and one
 * {@code pg_notify} statement (one round trip, one commit); {@link #publishIn} adds one message to the
 * caller's open transaction.
 */
public final class Notifier {
    private static final String NOTIFY_BATCH =
            "SELECT count(pg_notify(m.c, m.p)) FROM unnest(?::text[], ?::text[]) AS m(c, p)";
    // The notifications are never made durable anyway (NOTIFY is not stored), so the publisher's own
    // commits need not wait for the WAL flush. Transaction-local: the session is left as it was.
    private static final String NOTIFY_BATCH_ASYNC =
            "SELECT count(pg_notify(m.c, m.p)) FROM (SELECT set_config('synchronous_commit', 'off', true) AS v) s,"
                    + " unnest(?::text[], ?::text[]) AS m(c, p) WHERE s.v IS NOT NULL";

    /** A message waiting to be published. @param channel its channel @param message its bytes */
    public record Outgoing(String channel, byte[] message) { }

    private final Payloads payloads;
    private final Attachments attachments;
    private final boolean asyncCommit;

    /**
     * @param payloads encodes payloads
     * @param attachments stores large messages
     * @param asyncCommit commit the publisher's transactions with {@code synchronous_commit = off}
     */
    public Notifier(Payloads payloads, Attachments attachments, boolean asyncCommit) {
        this.payloads = payloads;
        this.attachments = attachments;
        this.asyncCommit = asyncCommit;
    }

    /**
     * Publishes a batch in one transaction of its own, in order.
     *
     * @param c a connection in auto-commit mode (restored afterwards)
     * @param batch the messages
     * @throws SQLException when the transaction fails (nothing of the batch is sent)
     */
    public void publishBatch(Connection c, List<Outgoing> batch) throws SQLException {
        boolean utf8 = isUtf8(c);
        c.setAutoCommit(false);
        try {
            String[] channels = new String[batch.size()];
            String[] texts = new String[batch.size()];
            for (int i = 0; i < batch.size(); i++) {
                Outgoing o = batch.get(i);
                channels[i] = o.channel();
                texts[i] = payload(c, o.message(), utf8);
            }
            try (PreparedStatement ps = c.prepareStatement(asyncCommit ? NOTIFY_BATCH_ASYNC : NOTIFY_BATCH)) {
                Array ch = c.createArrayOf("text", channels);
                Array tx = c.createArrayOf("text", texts);
                ps.setArray(1, ch);
                ps.setArray(2, tx);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                }
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            Sql.rollbackQuietly(c, e);
            throw e;
        } finally {
            Sql.restoreAutoCommit(c, true);
        }
    }

    /**
     * Adds one notification to the caller's transaction: it is sent if and only if that transaction
     * commits. Does not commit, roll back or change the connection's mode.
     *
     * @param tx the caller's connection, normally inside a transaction
     * @param channel the channel
     * @param message the bytes
     * @throws SQLException when a statement fails (the caller's transaction is then aborted)
     */
    public void publishIn(Connection tx, String channel, byte[] message) throws SQLException {
        String text = payload(tx, message, isUtf8(tx));
        try (PreparedStatement ps = tx.prepareStatement("SELECT pg_notify(?, ?)")) {
            ps.setString(1, channel);
            ps.setString(2, text);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
            }
        }
    }

    private String payload(Connection c, byte[] message, boolean utf8) throws SQLException {
        String inline = payloads.inline(message, utf8);
        return inline != null ? inline : payloads.reference(attachments.insert(c, message));
    }

    /** @param c a connection @return true when its server encoding is UTF8 (so text payloads are safe) */
    public static boolean isUtf8(Connection c) throws SQLException {
        if (!c.isWrapperFor(PGConnection.class)) {
            return false;
        }
        String encoding = c.unwrap(PGConnection.class).getParameterStatus("server_encoding");
        return encoding != null && encoding.equalsIgnoreCase("UTF8");
    }
}
