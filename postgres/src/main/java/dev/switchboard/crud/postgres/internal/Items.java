package dev.switchboard.crud.postgres.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The one mapping between a row {@code (id, version, doc)} and an item {@code {"id", …doc, "version"}},
 * used by the repository and by the change feed so both produce items of exactly the same shape.
 */
public final class Items {
    /** Parses and prints documents. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Items() {
    }

    /**
     * @param id the row's id
     * @param version the row's version
     * @param doc the row's document (its {@code id} and {@code version} keys, if any, are ignored)
     * @return the item
     */
    public static ObjectNode item(String id, long version, JsonNode doc) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("id", id);
        if (doc != null && doc.isObject()) {
            for (Map.Entry<String, JsonNode> e : doc.properties()) {
                if (!e.getKey().equals("id") && !e.getKey().equals("version")) {
                    out.set(e.getKey(), e.getValue());
                }
            }
        }
        out.put("version", version);
        return out;
    }

    /**
     * @param id the row's id
     * @param version the row's version
     * @param docJson the document as JSON text
     * @return the item
     */
    public static ObjectNode item(String id, long version, String docJson) {
        return item(id, version, parse(docJson));
    }

    /** @param item an item @return its document as JSON text, without {@code id} and {@code version} */
    public static String document(ObjectNode item) {
        ObjectNode doc = item.deepCopy();
        doc.remove("id");
        doc.remove("version");
        try {
            return MAPPER.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("item cannot be written as JSON", e);
        }
    }

    /** @param json JSON text @return the parsed tree */
    public static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
