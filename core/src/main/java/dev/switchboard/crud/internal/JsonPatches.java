package dev.switchboard.crud.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.ErrorCode;
import dev.switchboard.SwitchboardException;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import java.io.StringReader;

/**
 * Applies RFC 6902 JSON Patch and RFC 7396 JSON Merge Patch with the Jakarta JSON Processing
 * implementation (Parsson). A 6902 patch is applied one operation at a time on a copy, so a failure
 * names the operation that failed and the item is left unchanged; a failed {@code test} operation is a
 * {@code conflict}, any other failure a {@code bad_request}.
 */
final class JsonPatches {
    private final ObjectMapper mapper;

    JsonPatches(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * @param item the current item (not modified)
     * @param patch an array (RFC 6902) or an object (RFC 7396)
     * @return the patched copy
     */
    ObjectNode apply(ObjectNode item, JsonNode patch) {
        JsonValue target = toJsonP(item);
        JsonValue result;
        if (patch.isArray()) {
            result = applyJsonPatch(target, (JsonArray) toJsonP(patch));
        } else if (patch.isObject()) {
            result = Json.createMergePatch(toJsonP(patch)).apply(target);
        } else {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST,
                    "patch must be an array (RFC 6902 JSON Patch) or an object (RFC 7396 merge patch)");
        }
        if (result.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST, "patch must leave the item a JSON object");
        }
        return (ObjectNode) fromJsonP(result);
    }

    private static JsonValue applyJsonPatch(JsonValue target, JsonArray ops) {
        JsonStructure current = (JsonStructure) target;
        for (int i = 0; i < ops.size(); i++) {
            JsonValue op = ops.get(i);
            String name = op instanceof JsonObject o && o.containsKey("op") ? String.valueOf(o.get("op")) : "?";
            String opName = name.replace("\"", "");
            try {
                current = Json.createPatch(Json.createArrayBuilder().add(op).build()).apply(current);
            } catch (JsonException | ClassCastException | NullPointerException e) {
                String path = op instanceof JsonObject o && o.containsKey("path") ? o.get("path").toString() : "?";
                ErrorCode code = "test".equals(opName) ? ErrorCode.CONFLICT : ErrorCode.BAD_REQUEST;
                throw new SwitchboardException(code, "patch operation " + i + " (" + opName + " " + path + ") failed: "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            }
        }
        return current;
    }

    private JsonValue toJsonP(JsonNode node) {
        try (JsonReader reader = Json.createReader(new StringReader(mapper.writeValueAsString(node)))) {
            return reader.readValue();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode fromJsonP(JsonValue value) {
        try {
            return mapper.readTree(value.toString());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
