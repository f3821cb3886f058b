package dev.switchboard.postgres.internal;

import dev.switchboard.BackplaneException;
import dev.switchboard.ErrorCode;
import dev.switchboard.SwitchboardException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/** Small JDBC helpers shared by the backplane, the history and the repository. */
public final class Sql {

    private Sql() {
    }

    /**
     * @param c a connection whose transaction failed
     * @param failure the failure, which gets a rollback failure added as suppressed
     */
    public static void rollbackQuietly(Connection c, Throwable failure) {
        try {
            c.rollback();
        } catch (SQLException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** @param c a connection @param autoCommit the mode to restore, if the connection still works */
    public static void restoreAutoCommit(Connection c, boolean autoCommit) {
        try {
            if (!c.isClosed()) {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            // broken connection: the pool discards it
        }
    }

    /**
     * @param e a JDBC failure
     * @return true when it means the server is unreachable or going away (SQLSTATE classes 08 and 57P, too
     *     many connections, or no pooled connection within the pool's timeout), rather than a problem with
     *     the statement
     */
    public static boolean isOutage(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                if (state.startsWith("08") || state.startsWith("57P") || state.equals("53300")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * @param what what failed, for the message
     * @param e the JDBC failure
     * @return a {@link BackplaneException} ({@code unavailable})
     */
    public static BackplaneException backplaneFailure(String what, SQLException e) {
        return new BackplaneException(what + ": " + e.getMessage(), e);
    }

    /**
     * @param what what failed, for the message
     * @param e the JDBC failure
     * @return {@code unavailable} for an outage, else {@code internal}
     */
    public static SwitchboardException storageFailure(String what, SQLException e) {
        ErrorCode code = isOutage(e) ? ErrorCode.UNAVAILABLE : ErrorCode.INTERNAL;
        return new SwitchboardException(code, what + ": " + e.getMessage(), e);
    }
}
