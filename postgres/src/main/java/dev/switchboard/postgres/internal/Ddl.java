package dev.switchboard.postgres.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Runs Switchboard's DDL (the backplane's tables, a collection's table and triggers) in one transaction
 * holding a transaction-scoped advisory lock, because concurrent {@code CREATE TABLE IF NOT EXISTS} of
 * the same table can still fail on the catalog's unique indexes. Every node and every module takes the
 * same lock, so they never race each other.
 */
public final class Ddl {
    /** The advisory lock key every Switchboard DDL transaction takes ("SWBD" + 1). */
    public static final long LOCK_KEY = 0x5357_4244_0000_0001L;

    private Ddl() {
    }

    /**
     * Takes {@link #LOCK_KEY} for the current transaction (released at commit or rollback).
     *
     * @param c a connection inside a transaction
     * @throws SQLException when the statement fails
     */
    public static void lock(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
        }
    }

    /**
     * Runs statements in one transaction holding the lock.
     *
     * @param c a connection in auto-commit mode (restored afterwards)
     * @param statements the statements, each idempotent
     * @throws SQLException when one fails (the transaction is rolled back)
     */
    public static void runLocked(Connection c, List<String> statements) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            lock(c);
            for (String s : statements) {
                st.execute(s);
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            Sql.rollbackQuietly(c, e);
            throw e;
        } finally {
            Sql.restoreAutoCommit(c, auto);
        }
    }
}
