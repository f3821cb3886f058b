package dev.switchboard.backplane.postgres.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Messages too large for a NOTIFY payload: stored as a row, announced by reference, read by every
 * receiver, and deleted by age (every node runs the cleanup; deleting twice is harmless). A row is
 * never deleted on read, since every node has to read it.
 */
public final class Attachments {
    private final String insert;
    private final String select;
    private final String cleanup;

    /** @param schema names the attachments table */
    public Attachments(BackplaneSchema schema) {
        String table = schema.attachments();
        this.insert = "INSERT INTO " + table + " (data) VALUES (?) RETURNING id";
        this.select = "SELECT data FROM " + table + " WHERE id = ?";
        this.cleanup = "DELETE FROM " + table + " WHERE created_at < now() - ? * interval '1 millisecond'";
    }

    /**
     * Stores a message in the connection's current transaction (or on its own, in auto-commit mode).
     *
     * @param c the connection
     * @param message the bytes
     * @return the new row's id
     * @throws SQLException when the insert fails
     */
    public long insert(Connection c, byte[] message) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(insert)) {
            ps.setBytes(1, message);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * @param c the connection
     * @param id an attachment id from a notification
     * @return the message, or null when the row is gone (cleaned up before it was read)
     * @throws SQLException when the query fails
     */
    public byte[] read(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(select)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }
    }

    /**
     * @param c the connection
     * @param maxAge rows older than this are deleted
     * @return how many rows were deleted
     * @throws SQLException when the delete fails
     */
    public int deleteOlderThan(Connection c, Duration maxAge) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(cleanup)) {
            ps.setLong(1, maxAge.toMillis());
            return ps.executeUpdate();
        }
    }
}
