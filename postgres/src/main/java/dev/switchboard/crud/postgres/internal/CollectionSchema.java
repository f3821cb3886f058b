package dev.switchboard.crud.postgres.internal;

import dev.switchboard.postgres.internal.Ddl;
import dev.switchboard.postgres.internal.Identifiers;
import dev.switchboard.postgres.internal.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A collection's table {@code (id text PK, version bigint, doc jsonb)} and its triggers:
 * <ul>
 *   <li>{@code switchboard_version} (BEFORE UPDATE) bumps {@code version} when an update did not raise
 *       it, so an {@code UPDATE} typed in psql still invalidates what clients hold;</li>
 *   <li>{@code switchboard_notify} (AFTER INSERT/UPDATE/DELETE, per row) sends the change to the
 *       collection's channel: the id, version and document, or only the id when that would not fit
 *       in a NOTIFY payload (the feed then reads the row back). In "row" mode, for tables of any shape,
 *       it sends the whole row as JSON and the value of a key column as the id.</li>
 * </ul>
 * Everything is idempotent and runs under the DDL advisory lock, so several nodes may install at once
 * and installing twice leaves one trigger.
 */
public final class CollectionSchema {
    /** Payloads above this many bytes carry only the key. */
    public static final int MAX_INLINE_PAYLOAD = 7900;
    static final String NOTIFY_TRIGGER = "switchboard_notify";
    static final String VERSION_TRIGGER = "switchboard_version";

    private final String schema;
    private final String table;

    /** @param schema the table's schema @param table the table */
    public CollectionSchema(String schema, String table) {
        this.schema = Identifiers.check(schema, "schema");
        this.table = Identifiers.check(table, "table");
    }

    /** @return the quoted, qualified table */
    public String table() {
        return Identifiers.qualified(schema, table);
    }

    private String sequence() {
        return Identifiers.qualified(schema, Identifiers.derived(table, "_id_seq"));
    }

    private String function(String name) {
        return Identifiers.quote(schema) + "." + name;
    }

    /** @return the statements creating the table, its sequence and its version trigger */
    public List<String> tableStatements() {
        List<String> out = new ArrayList<>();
        if (!schema.equals("public")) {
            out.add("CREATE SCHEMA IF NOT EXISTS " + Identifiers.quote(schema));
        }
        out.add("CREATE SEQUENCE IF NOT EXISTS " + sequence());
        out.add("CREATE TABLE IF NOT EXISTS " + table() + " (\n"
                + "    id      text   PRIMARY KEY DEFAULT nextval(" + literal(sequence()) + ")::text,\n"
                + "    version bigint NOT NULL DEFAULT 1,\n"
                + "    doc     jsonb  NOT NULL DEFAULT '{}'::jsonb\n"
                + ")");
        out.add("ALTER SEQUENCE " + sequence() + " OWNED BY " + table() + ".id");
        out.add("CREATE OR REPLACE FUNCTION " + function("switchboard_bump_version") + "() RETURNS trigger\n"
                + "LANGUAGE plpgsql AS $sb$\n"
                + "BEGIN\n"
                + "    IF NEW.version IS NULL OR NEW.version <= OLD.version THEN\n"
                + "        NEW.version := OLD.version + 1;\n"
                + "    END IF;\n"
                + "    RETURN NEW;\n"
                + "END $sb$");
        return out;
    }

    /** @return the statements creating (or replacing) the change notification functions */
    public List<String> functionStatements() {
        List<String> out = new ArrayList<>();
        if (!schema.equals("public")) {
            out.add("CREATE SCHEMA IF NOT EXISTS " + Identifiers.quote(schema));
        }
        out.add("CREATE OR REPLACE FUNCTION " + function("switchboard_change_payload")
                + "(op text, mode text, key_column text, r jsonb) RETURNS text\n"
                + "LANGUAGE plpgsql AS $sb$\n"
                + "DECLARE\n"
                + "    id text := r ->> key_column;\n"
                + "    payload text;\n"
                + "BEGIN\n"
                + "    IF op = 'D' THEN\n"
                + "        payload := jsonb_build_object('op', op, 'id', id)::text;\n"
                + "    ELSIF mode = 'document' THEN\n"
                + "        payload := jsonb_build_object('op', op, 'id', id, 'version', r -> 'version',"
                + " 'doc', r -> 'doc')::text;\n"
                + "    ELSE\n"
                + "        payload := jsonb_build_object('op', op, 'id', id, 'row', r)::text;\n"
                + "    END IF;\n"
                + "    IF octet_length(payload) > " + MAX_INLINE_PAYLOAD + " THEN\n"
                + "        payload := jsonb_build_object('op', op, 'id', id, 'large', true)::text;\n"
                + "    END IF;\n"
                + "    IF octet_length(payload) > " + MAX_INLINE_PAYLOAD + " THEN\n"
                + "        RAISE WARNING 'switchboard: the key of a changed row is too long to notify';\n"
                + "        RETURN NULL;\n"
                + "    END IF;\n"
                + "    RETURN payload;\n"
                + "END $sb$");
        String payload = function("switchboard_change_payload");
        out.add("CREATE OR REPLACE FUNCTION " + function("switchboard_notify_change") + "() RETURNS trigger\n"
                + "LANGUAGE plpgsql AS $sb$\n"
                + "DECLARE\n"
                + "    channel text := TG_ARGV[0];\n"
                + "    mode text := TG_ARGV[1];\n"
                + "    key_column text := TG_ARGV[2];\n"
                + "    old_row jsonb;\n"
                + "    new_row jsonb;\n"
                + "BEGIN\n"
                + "    IF TG_OP <> 'INSERT' THEN old_row := to_jsonb(OLD); END IF;\n"
                + "    IF TG_OP <> 'DELETE' THEN new_row := to_jsonb(NEW); END IF;\n"
                + "    IF TG_OP = 'UPDATE' AND (old_row ->> key_column) IS DISTINCT FROM (new_row ->> key_column) THEN\n"
                + "        PERFORM pg_notify(channel, " + payload + "('D', mode, key_column, old_row));\n"
                + "        PERFORM pg_notify(channel, " + payload + "('I', mode, key_column, new_row));\n"
                + "    ELSIF TG_OP = 'DELETE' THEN\n"
                + "        PERFORM pg_notify(channel, " + payload + "('D', mode, key_column, old_row));\n"
                + "    ELSE\n"
                + "        PERFORM pg_notify(channel, " + payload + "(left(TG_OP, 1), mode, key_column, new_row));\n"
                + "    END IF;\n"
                + "    RETURN NULL;\n"
                + "END $sb$");
        return out;
    }

    /**
     * Creates the table, sequence and version trigger if missing.
     *
     * @param c a connection in auto-commit mode
     * @throws SQLException when the DDL fails
     */
    public void ensureTable(Connection c) throws SQLException {
        Ddl.runLocked(c, tableStatements());
        installTrigger(c, VERSION_TRIGGER, "CREATE TRIGGER " + VERSION_TRIGGER + " BEFORE UPDATE ON " + table()
                + " FOR EACH ROW EXECUTE FUNCTION " + function("switchboard_bump_version") + "()");
    }

    /**
     * Creates the notification functions and, if missing, the NOTIFY trigger.
     *
     * @param c a connection in auto-commit mode
     * @param channel the channel the trigger notifies
     * @param mode {@code document} (repository tables) or {@code row} (any table)
     * @param keyColumn the column whose value is the item's id
     * @throws SQLException when the DDL fails (e.g. the table does not exist)
     */
    public void ensureNotifyTrigger(Connection c, String channel, String mode, String keyColumn) throws SQLException {
        Ddl.runLocked(c, functionStatements());
        installTrigger(c, NOTIFY_TRIGGER, "CREATE TRIGGER " + NOTIFY_TRIGGER
                + " AFTER INSERT OR UPDATE OR DELETE ON " + table() + " FOR EACH ROW EXECUTE FUNCTION "
                + function("switchboard_notify_change") + "(" + literal(channel) + ", " + literal(mode) + ", "
                + literal(keyColumn) + ")");
    }

    /**
     * @param channel the channel the NOTIFY trigger notifies
     * @return the whole DDL (table, functions, both triggers) as a script, for migrations
     */
    public String script(String channel) {
        StringBuilder sb = new StringBuilder("-- Switchboard Postgres collection table ").append(table())
                .append(" with its triggers. Idempotent.\n");
        List<String> all = new ArrayList<>(tableStatements());
        all.addAll(functionStatements());
        all.add("DROP TRIGGER IF EXISTS " + VERSION_TRIGGER + " ON " + table());
        all.add("CREATE TRIGGER " + VERSION_TRIGGER + " BEFORE UPDATE ON " + table()
                + " FOR EACH ROW EXECUTE FUNCTION " + function("switchboard_bump_version") + "()");
        all.add("DROP TRIGGER IF EXISTS " + NOTIFY_TRIGGER + " ON " + table());
        all.add("CREATE TRIGGER " + NOTIFY_TRIGGER + " AFTER INSERT OR UPDATE OR DELETE ON " + table()
                + " FOR EACH ROW EXECUTE FUNCTION " + function("switchboard_notify_change") + "("
                + literal(channel) + ", 'document', 'id')");
        for (String s : all) {
            sb.append('\n').append(s).append(";\n");
        }
        return sb.toString();
    }

    private void installTrigger(Connection c, String name, String create) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            Ddl.lock(c);
            boolean exists;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT 1 FROM pg_trigger WHERE tgrelid = to_regclass(?) AND tgname = ? AND NOT tgisinternal")) {
                ps.setString(1, table());
                ps.setString(2, name);
                try (ResultSet rs = ps.executeQuery()) {
                    exists = rs.next();
                }
            }
            if (!exists) {
                try (Statement st = c.createStatement()) {
                    st.execute(create);
                }
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            Sql.rollbackQuietly(c, e);
            throw e;
        } finally {
            Sql.restoreAutoCommit(c, auto);
        }
    }

    /** @param s text @return it as a SQL string literal */
    static String literal(String s) {
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("NUL in a SQL literal");
        }
        return "'" + s.replace("'", "''") + "'";
    }
}
