package dev.switchboard.crud.mongo.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.ErrorCode;
import dev.switchboard.SwitchboardException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

/**
 * Converts between CRUD items (JSON objects with {@code id} and {@code version}) and MongoDB documents
 * ({@code _id}, the fields, {@code version}). JSON is mapped value by value, never parsed as Extended
 * JSON, so a client's {@code {"$date": …}} or {@code {"$oid": …}} stays plain data, and field names
 * that MongoDB would read as operators or paths ({@code $…}, containing {@code .}) are refused.
 */
public final class Items {
    /** The version field, in items and documents. */
    public static final String VERSION = "version";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private Items() {
    }

    /**
     * @param item a client's item; {@code id} and {@code version} in it are ignored
     * @return its fields as a document, without {@code _id} and {@code version}
     * @throws SwitchboardException {@code bad_request} for a reserved or unsafe field name
     */
    public static Document fields(ObjectNode item) {
        Document d = new Document();
        for (Map.Entry<String, JsonNode> e : item.properties()) {
            String name = e.getKey();
            if (name.equals("id") || name.equals(VERSION)) {
                continue;
            }
            if (name.equals("_id")) {
                throw new SwitchboardException(ErrorCode.BAD_REQUEST, "field \"_id\" is reserved");
            }
            d.append(checkName(name), toBson(e.getValue()));
        }
        return d;
    }

    /**
     * @param name a field name from a client
     * @return the name
     * @throws SwitchboardException {@code bad_request} when it is empty, starts with {@code $} or
     *     contains {@code .} or NUL, which MongoDB would read as an operator or a path
     */
    public static String checkName(String name) {
        if (name.isEmpty() || name.startsWith("$") || name.indexOf('.') >= 0 || name.indexOf('\0') >= 0) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST, "field name \"" + name
                    + "\" is not allowed: names may not be empty, start with '$' or contain '.'");
        }
        return name;
    }

    /** @param v a JSON value @return the BSON value holding the same data */
    static Object toBson(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return null;
        }
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isInt() || v.isShort()) {
            return v.intValue();
        }
        if (v.isLong()) {
            return v.longValue();
        }
        if (v.isBigInteger()) {
            return new Decimal128(new BigDecimal(v.bigIntegerValue()));
        }
        if (v.isBigDecimal()) {
            return new Decimal128(v.decimalValue());
        }
        if (v.isNumber()) {
            return v.doubleValue();
        }
        if (v.isArray()) {
            List<Object> list = new ArrayList<>(v.size());
            for (JsonNode x : v) {
                list.add(toBson(x));
            }
            return list;
        }
        if (v.isObject()) {
            Document d = new Document();
            for (Map.Entry<String, JsonNode> e : v.properties()) {
                d.append(checkName(e.getKey()), toBson(e.getValue()));
            }
            return d;
        }
        if (v.isBinary()) {
            return new Binary(Base64.getDecoder().decode(v.asText()));
        }
        return v.asText();
    }

    /**
     * @param doc a stored document (written by the repository or by any other program)
     * @return the item: {@code id} (the {@code _id} as text), the fields, {@code version} (0 when missing)
     */
    public static ObjectNode toItem(Document doc) {
        ObjectNode item = JSON.objectNode();
        item.put("id", Ids.text(doc.get("_id")));
        for (Map.Entry<String, Object> e : doc.entrySet()) {
            if (!e.getKey().equals("_id") && !e.getKey().equals(VERSION)) {
                item.set(e.getKey(), toJson(e.getValue()));
            }
        }
        Object version = doc.get(VERSION);
        item.put(VERSION, version instanceof Number n ? n.longValue() : 0L);
        return item;
    }

    /** @param v a BSON value @return JSON holding the same data (ids and dates as text) */
    static JsonNode toJson(Object v) {
        if (v == null) {
            return JSON.nullNode();
        }
        if (v instanceof String s) {
            return JSON.textNode(s);
        }
        if (v instanceof Boolean b) {
            return JSON.booleanNode(b);
        }
        if (v instanceof Integer i) {
            return JSON.numberNode(i);
        }
        if (v instanceof Long l) {
            return JSON.numberNode(l);
        }
        if (v instanceof Double d) {
            return JSON.numberNode(d);
        }
        if (v instanceof Decimal128 d) {
            BigDecimal b = d.bigDecimalValue();
            return b.scale() <= 0 ? JSON.numberNode(b.toBigIntegerExact()) : JSON.numberNode(b);
        }
        if (v instanceof Document d) {
            ObjectNode o = JSON.objectNode();
            d.forEach((k, x) -> o.set(k, toJson(x)));
            return o;
        }
        if (v instanceof List<?> list) {
            ArrayNode a = JSON.arrayNode();
            list.forEach(x -> a.add(toJson(x)));
            return a;
        }
        if (v instanceof ObjectId id) {
            return JSON.textNode(id.toHexString());
        }
        if (v instanceof Date date) {
            return JSON.textNode(date.toInstant().toString());
        }
        if (v instanceof Binary b) {
            return JSON.textNode(Base64.getEncoder().encodeToString(b.getData()));
        }
        if (v instanceof BsonTimestamp t) {
            return JSON.numberNode(t.getValue());
        }
        if (v instanceof BigInteger b) {
            return JSON.numberNode(b);
        }
        if (v instanceof Number n) {
            return JSON.numberNode(n.doubleValue());
        }
        return JSON.textNode(String.valueOf(v));
    }
}
