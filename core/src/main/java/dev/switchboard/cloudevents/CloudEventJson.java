package dev.switchboard.cloudevents;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonCloudEventData;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;

/**
 * Reads a CloudEvent's data as JSON. Stateless and thread-safe.
 *
 * <pre>{@code
 * board.onCloudEvent("order.created", event -> {
 *     OrderCreated order = CloudEventJson.data(event, OrderCreated.class, board.mapper());
 *     ...
 * });
 * }</pre>
 */
public final class CloudEventJson {

    private CloudEventJson() {
    }

    /**
     * The event's data as a JSON tree: JSON data as it is (its {@code datacontenttype} is absent,
     * {@code application/json}, {@code text/json} or {@code …+json}); other {@code text/…} and XML data
     * as a JSON string; any other data as a base64 JSON string; no data as JSON {@code null}.
     *
     * @param event the event
     * @param mapper the mapper that parses JSON data held as bytes
     * @return the data, never Java {@code null}
     * @throws IllegalArgumentException when data declared as JSON is not valid JSON
     */
    public static JsonNode data(CloudEvent event, ObjectMapper mapper) {
        CloudEventData data = event.getData();
        if (data == null) {
            return NullNode.getInstance();
        }
        if (data instanceof JsonCloudEventData json) {
            return json.getNode() == null ? NullNode.getInstance() : json.getNode();
        }
        byte[] bytes = data.toBytes();
        String type = event.getDataContentType();
        if (isJson(type)) {
            try {
                JsonNode node = mapper.readTree(bytes);
                return node == null ? NullNode.getInstance() : node;
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("data is not valid JSON: " + e.getOriginalMessage());
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("data is not valid JSON", e);
            }
        }
        if (isText(type)) {
            return TextNode.valueOf(new String(bytes, StandardCharsets.UTF_8));
        }
        return TextNode.valueOf(Base64.getEncoder().encodeToString(bytes));
    }

    /**
     * The event's data converted to {@code type} (through {@link #data(CloudEvent, ObjectMapper)}).
     *
     * @param event the event
     * @param type the class to convert to
     * @param mapper the mapper
     * @param <T> the data type
     * @return the data, or {@code null} when the event has none
     * @throws IllegalArgumentException when the data is not valid JSON or does not fit {@code type}
     */
    public static <T> T data(CloudEvent event, Class<T> type, ObjectMapper mapper) {
        Objects.requireNonNull(type, "type");
        JsonNode node = data(event, mapper);
        if (node.isNull()) {
            return null;
        }
        try {
            return mapper.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("data of " + event.getType() + " is not a valid "
                    + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Checks what the CloudEvents 1.0 specification requires beyond what the SDK checks: a non-empty
     * {@code id}, {@code source} and {@code type}; and parses JSON data held as bytes once, so handlers
     * get it as a {@link JsonCloudEventData}.
     *
     * @param event an event the SDK read
     * @param mapper the mapper for JSON data
     * @return the event, with JSON data parsed
     * @throws IllegalArgumentException naming what is wrong
     */
    public static CloudEvent validated(CloudEvent event, ObjectMapper mapper) {
        if (event.getId() == null || event.getId().isEmpty()) {
            throw new IllegalArgumentException("\"id\" must be a non-empty string");
        }
        if (event.getSource() == null || event.getSource().toString().isEmpty()) {
            throw new IllegalArgumentException("\"source\" must be a non-empty URI reference");
        }
        if (event.getType() == null || event.getType().isEmpty()) {
            throw new IllegalArgumentException("\"type\" must be a non-empty string");
        }
        CloudEventData data = event.getData();
        if (data == null || data instanceof JsonCloudEventData || !isJson(event.getDataContentType())) {
            return event;
        }
        JsonNode node = data(event, mapper);
        return CloudEventBuilder.from(event).withData(JsonCloudEventData.wrap(node)).build();
    }

    /**
     * @param contentType a {@code datacontenttype}, or {@code null}
     * @return true for JSON: absent, {@code application/json}, {@code text/json} or any {@code +json} type
     */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return true;
        }
        String t = mediaType(contentType);
        return t.equals("application/json") || t.equals("text/json") || t.endsWith("+json");
    }

    private static boolean isText(String contentType) {
        String t = mediaType(contentType);
        return t.startsWith("text/") || t.equals("application/xml") || t.endsWith("+xml");
    }

    private static String mediaType(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }
}
