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
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import dev.switchboard.crud.QuotaExceededException;
import dev.switchboard.protocol.WireError;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;

/**
 * Applies RFC 6902 JSON Patch and RFC 7396 JSON Merge Patch with the Jakarta JSON Processing
 * implementation (Parsson). A 6902 patch is applied one operation at a time on a copy, so a failure
 * names the operation that failed and the item is left unchanged; a failed {@code test} operation is a
 * {@code conflict}, any other failure a {@code bad_request}.
 *
 * <p>Patches cannot blow an item up: a 6902 patch has at most {@code maxOperations} operations, a
 * {@code copy} or {@code move} whose {@code from} is a prefix of its {@code path} (a value copied into
 * itself, which doubles the item per operation) is refused, and the item is measured after every
 * operation (one operation can at most double it), so memory stays within twice {@code maxItemBytes}.
 * Each limit is {@code too_large}.
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
    ObjectNode apply(ObjectNode item, JsonNode patch, int maxOperations, int maxItemBytes) {
        JsonValue target = toJsonP(item);
        JsonValue result;
        if (patch.isArray()) {
            if (patch.size() > maxOperations) {
                throw new QuotaExceededException(QuotaExceededException.Limit.PATCH_OPERATIONS, maxOperations,
                        "the patch has " + patch.size() + " operations, more than the limit of " + maxOperations);
            }
            result = applyJsonPatch(target, (JsonArray) toJsonP(patch), maxItemBytes);
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

    private static JsonValue applyJsonPatch(JsonValue target, JsonArray ops, int maxItemBytes) {
        JsonStructure current = (JsonStructure) target;
        for (int i = 0; i < ops.size(); i++) {
            JsonValue op = ops.get(i);
            String opName = op instanceof JsonObject o && o.get("op") instanceof JsonString s ? s.getString() : "?";
            String path = op instanceof JsonObject o && o.get("path") instanceof JsonString s ? s.getString() : "?";
            String label = "patch operation " + i + " (" + (opName.length() <= 16 ? opName : "?") + " "
                    + WireError.quote(path) + ")";
            if ((opName.equals("copy") || opName.equals("move")) && op instanceof JsonObject o
                    && o.get("from") instanceof JsonString from && isPrefix(from.getString(), path)) {
                throw new SwitchboardException(ErrorCode.BAD_REQUEST,
                        label + " failed: \"from\" must not be \"path\" or a prefix of it");
            }
            try {
                current = Json.createPatch(Json.createArrayBuilder().add(op).build()).apply(current);
            } catch (JsonException | ClassCastException | NullPointerException e) {
                ErrorCode code = "test".equals(opName) ? ErrorCode.CONFLICT : ErrorCode.BAD_REQUEST;
                throw new SwitchboardException(code, label + " failed: "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            }
            long size = current.toString().getBytes(StandardCharsets.UTF_8).length;
            if (size > maxItemBytes) {
                throw new QuotaExceededException(QuotaExceededException.Limit.ITEM_BYTES, maxItemBytes,
                        label + " makes the item " + size + " bytes, more than the limit of " + maxItemBytes);
            }
        }
        return current;
    }

    /** @return true when pointer {@code from} is {@code path} or one of its ancestors ("" is every path's) */
    static boolean isPrefix(String from, String path) {
        return path.equals(from) || from.isEmpty() || path.startsWith(from + "/");
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
