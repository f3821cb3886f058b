package dev.switchboard.client.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;

/** JSON conversions shared by the client's listeners and requests. */
public final class Json {
    private Json() {
    }

    /**
     * @param mapper the mapper
     * @param node data from a frame, or null
     * @param type the wanted type; {@code JsonNode} (or a supertype) for the tree itself
     * @param <T> the wanted type
     * @return the converted value; for a class, {@code null} when the data is missing or JSON null
     * @throws IllegalArgumentException when the data does not fit the type
     */
    @SuppressWarnings("unchecked")
    public static <T> T convert(ObjectMapper mapper, JsonNode node, Class<T> type) {
        JsonNode data = node == null ? NullNode.getInstance() : node;
        if (type.isInstance(data)) {
            return (T) data;
        }
        if (data.isNull() || data.isMissingNode()) {
            return null;
        }
        try {
            return mapper.treeToValue(data, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }
}
