package dev.switchboard.crud.postgres.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.ErrorCode;
import dev.switchboard.SwitchboardException;
import dev.switchboard.crud.Query;
import dev.switchboard.crud.SortField;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Translates a LIST {@link Query} into parameterised SQL with the semantics of
 * {@link dev.switchboard.crud.InMemoryRepository}: filters are equality (numbers numerically, other
 * values by their text), sort keys put missing values first and compare numbers numerically and the
 * rest by text (code point order), equal keys keep id order.
 *
 * <p>The SQL text is built only from fixed fragments and the configured table: a field name is always
 * a bound parameter ({@code doc -> ?}), as is every value, so nothing a client sends is ever SQL. Field
 * names are further limited to letters, digits, '_', '.' and '-' (else {@code bad_request}), as
 * defence in depth and to keep error messages plain.
 */
public final class ListSql {
    private static final Pattern FIELD = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.\\-]{0,99}");
    private static final String ID_ORDER = "length(id), id COLLATE \"C\"";

    /** A statement and its parameters, in order. @param sql the SQL @param params the parameters */
    public record Statement(String sql, List<Object> params) { }

    private ListSql() {
    }

    /**
     * @param table the quoted, qualified table
     * @param query the validated query
     * @return {@code SELECT id, version, doc, total} for one page, ordered
     * @throws SwitchboardException {@code bad_request} for a field name outside the allowed characters
     */
    public static Statement page(String table, Query query) {
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT id, version, doc::text, count(*) OVER () FROM ").append(table);
        where(sql, params, query.filters());
        sql.append(" ORDER BY ");
        for (SortField s : query.sort()) {
            String dir = s.descending() ? " DESC" : " ASC";
            String e = expression(s.field(), "sort on", params, 6);
            sql.append("(").append(e).append(" IS NOT NULL AND jsonb_typeof(").append(e).append(") <> 'null')")
                    .append(dir).append(", ");
            sql.append("CASE WHEN jsonb_typeof(").append(e).append(") = 'number' THEN (").append(e)
                    .append(")::numeric END").append(dir).append(s.descending() ? " NULLS FIRST" : " NULLS LAST")
                    .append(", ");
            sql.append("(CASE WHEN jsonb_typeof(").append(e).append(") = 'number' THEN NULL ELSE ").append(e)
                    .append(" #>> '{}' END) COLLATE \"C\"").append(dir).append(", ");
        }
        sql.append(ID_ORDER).append(" LIMIT ? OFFSET ?");
        params.add(query.size());
        params.add(query.offset());
        return new Statement(sql.toString(), params);
    }

    /**
     * @param table the quoted, qualified table
     * @param query the validated query
     * @return {@code SELECT count(*)} of the matching rows
     */
    public static Statement count(String table, Query query) {
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT count(*) FROM ").append(table);
        where(sql, params, query.filters());
        return new Statement(sql.toString(), params);
    }

    private static void where(StringBuilder sql, List<Object> params, Map<String, JsonNode> filters) {
        String sep = " WHERE ";
        for (Map.Entry<String, JsonNode> f : filters.entrySet()) {
            JsonNode v = f.getValue();
            sql.append(sep);
            sep = " AND ";
            if (v.isNumber()) {
                String e = expression(f.getKey(), "filter on", params, 2);
                sql.append("CASE WHEN jsonb_typeof(").append(e).append(") = 'number' THEN (").append(e)
                        .append(")::numeric = ? ELSE false END");
                params.add(v.decimalValue());
            } else if (v.isTextual()) {
                String e = expression(f.getKey(), "filter on", params, 3);
                sql.append("CASE WHEN ").append(e).append(" IS NULL OR jsonb_typeof(").append(e)
                        .append(") IN ('object', 'array') THEN false ELSE coalesce(").append(e)
                        .append(" #>> '{}', 'null') = ? END");
                params.add(v.asText());
            } else {
                String e = expression(f.getKey(), "filter on", params, 1);
                sql.append(e).append(" = ?::jsonb");
                params.add(v.toString());
            }
        }
    }

    /**
     * The jsonb expression of a field, appearing {@code uses} times in the SQL: {@code id} and
     * {@code version} are columns, any other field is {@code doc -> ?} with the name bound once per use.
     */
    private static String expression(String field, String what, List<Object> params, int uses) {
        switch (field) {
            case "id":
                return "to_jsonb(id)";
            case "version":
                return "to_jsonb(version)";
            default:
                if (!FIELD.matcher(field).matches()) {
                    throw new SwitchboardException(ErrorCode.BAD_REQUEST, "cannot " + what + " field \"" + field
                            + "\": field names are letters, digits, '_', '.' and '-'");
                }
                for (int i = 0; i < uses; i++) {
                    params.add(field);
                }
                return "(doc -> ?)";
        }
    }
}
