package dev.switchboard.crud.mongo.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import dev.switchboard.ErrorCode;
import dev.switchboard.SwitchboardException;
import dev.switchboard.crud.SortField;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.BsonType;
import org.bson.conversions.Bson;

/**
 * Translates a LIST's filters and sort into MongoDB, with the same meaning as the in-memory repository:
 * a filter is equality (numbers numerically; a string also matches a number or boolean with that text).
 * Client input only ever becomes literal values under field names this class checked: no operator or
 * path can be smuggled in ({@code {"$where": …}}, {@code {"$gt": ""}}, {@code "a.b"}, {@code "$x"}).
 */
public final class Queries {

    private Queries() {
    }

    /**
     * @param filters field → value, from the core's validated query
     * @param allowed the fields clients may filter and sort on besides {@code id} and {@code version};
     *     empty allows any safe name
     * @return the MongoDB filter
     * @throws SwitchboardException {@code bad_request} for a field not allowed or unsafe, or a value that
     *     is an object or array
     */
    public static Bson filter(Map<String, JsonNode> filters, Set<String> allowed) {
        List<Bson> parts = new ArrayList<>();
        for (Map.Entry<String, JsonNode> f : filters.entrySet()) {
            String field = field(f.getKey(), allowed, "filter");
            JsonNode v = f.getValue();
            if (v.isContainerNode()) {
                throw new SwitchboardException(ErrorCode.BAD_REQUEST, "filter on \"" + f.getKey()
                        + "\" must be a string, number, boolean or null");
            }
            if (field.equals("_id")) {
                parts.add(Filters.in("_id", Ids.candidates(v.asText())));
            } else if (v.isTextual()) {
                parts.add(textMatch(field, v.textValue()));
            } else if (v.isNull()) {
                // Only a stored null: MongoDB's {field: null} would also match items without the field.
                parts.add(Filters.type(field, BsonType.NULL));
            } else {
                parts.add(Filters.eq(field, Items.toBson(v)));
            }
        }
        return parts.isEmpty() ? Filters.empty() : Filters.and(parts);
    }

    /**
     * @param sort the sort keys
     * @param allowed as for {@link #filter}
     * @return the MongoDB sort, ending with {@code _id} so that equal keys keep id order
     */
    public static Bson sort(List<SortField> sort, Set<String> allowed) {
        List<Bson> keys = new ArrayList<>();
        boolean byId = false;
        for (SortField s : sort) {
            String field = field(s.field(), allowed, "sort");
            byId |= field.equals("_id");
            keys.add(s.descending() ? Sorts.descending(field) : Sorts.ascending(field));
        }
        if (!byId) {
            keys.add(Sorts.ascending("_id"));
        }
        return Sorts.orderBy(keys);
    }

    private static String field(String name, Set<String> allowed, String what) {
        if (name.equals("id")) {
            return "_id";
        }
        if (name.equals(Items.VERSION)) {
            return name;
        }
        Items.checkName(name);
        if (name.equals("_id") || (!allowed.isEmpty() && !allowed.contains(name))) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST, "cannot " + what + " on unknown field \""
                    + name + "\"");
        }
        return name;
    }

    /**
     * A text filter matches that string, and a number or boolean whose text it is, exactly as the in-memory
     * repository compares: {@code "2"} is the text of the integer 2, not of the double 2.0 (whose text is
     * {@code "2.0"}), so each number matches only in the BSON types whose text it can be.
     */
    private static Bson textMatch(String field, String s) {
        List<Bson> any = new ArrayList<>(3);
        any.add(Filters.eq(field, s));
        if (s.equals("null")) {
            any.add(Filters.type(field, BsonType.NULL));
        }
        if (s.equals("true") || s.equals("false")) {
            any.add(Filters.eq(field, Boolean.valueOf(s)));
        }
        if (s.matches("-?(0|[1-9][0-9]{0,17})")) {
            any.add(Filters.and(Filters.eq(field, Long.parseLong(s)),
                    Filters.or(Filters.type(field, BsonType.INT32), Filters.type(field, BsonType.INT64))));
        } else if (s.matches("-?[0-9]+\\.[0-9]+([eE][-+]?[0-9]+)?")) {
            double d = new BigDecimal(s).doubleValue();
            if (Double.toString(d).equals(s)) {
                any.add(Filters.and(Filters.eq(field, d), Filters.type(field, BsonType.DOUBLE)));
            }
        }
        return any.size() == 1 ? any.get(0) : Filters.or(any);
    }
}
