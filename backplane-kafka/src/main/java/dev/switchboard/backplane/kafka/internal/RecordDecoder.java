package dev.switchboard.backplane.kafka.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.backplane.kafka.SkipReason;
import dev.switchboard.cloudevents.CloudEventJson;
import dev.switchboard.emit.EmitMessage;
import dev.switchboard.emit.InvalidEmitException;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.message.MessageReader;
import io.cloudevents.kafka.KafkaMessageFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Turns one Kafka record into an {@link EmitMessage}, or says why it cannot ({@link SkipReason}). Stateless
 * and thread-safe.
 *
 * <ul>
 *   <li>A record with {@code ce_*} headers (binary mode) or {@code content-type: application/cloudevents+json}
 *       (structured mode) is a CloudEvent, read with the CloudEvents SDK's Kafka binding: its {@code id} and
 *       {@code type} are the message's; the audience comes from the extension attributes {@code broadcast},
 *       {@code users}, {@code roles}, {@code organizations}, {@code topics}, {@code connections} (lists
 *       comma-separated) with the event's data as the payload — or, without such attributes, the data is an
 *       emit-message body (audience fields and {@code payload}; the event's {@code id} and {@code type}
 *       replace any in the data).</li>
 *   <li>Any other record's value is an emit-message body, as {@code POST /api/emit} takes it.</li>
 * </ul>
 */
public final class RecordDecoder {
    /** The CloudEvents extension attributes that name an audience, as the emit body's fields. */
    static final List<String> AUDIENCE = List.of("broadcast", "users", "roles", "organizations", "topics",
            "connections");

    private final ObjectMapper mapper;

    /** @param mapper the node's mapper */
    public RecordDecoder(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** What a record is: a message to route, or a poison record with its reason. */
    public sealed interface Decoded permits Message, Poison { }

    /** @param message the message to route */
    public record Message(EmitMessage message) implements Decoded { }

    /**
     * @param reason why the record is skipped
     * @param detail what exactly is wrong, for the log
     */
    public record Poison(SkipReason reason, String detail) implements Decoded { }

    /**
     * @param headers the record's headers
     * @param value the record's value, or {@code null}
     * @return the message or the reason
     */
    public Decoded decode(Headers headers, byte[] value) {
        if (isCloudEvent(headers)) {
            CloudEvent event;
            try {
                MessageReader reader = KafkaMessageFactory.createReader(headers, value);
                event = reader.toEvent();
            } catch (RuntimeException e) {
                return new Poison(SkipReason.BAD_CLOUDEVENT, String.valueOf(e.getMessage()));
            }
            return fromCloudEvent(event);
        }
        if (value == null || value.length == 0) {
            return new Poison(SkipReason.NOT_JSON, "the record has no value");
        }
        JsonNode body;
        try {
            body = mapper.readTree(value);
        } catch (JsonProcessingException e) {
            return new Poison(SkipReason.NOT_JSON, e.getOriginalMessage());
        } catch (IOException e) {
            return new Poison(SkipReason.NOT_JSON, String.valueOf(e.getMessage()));
        }
        return fromBody(body);
    }

    /** As the Kafka binding tells the modes apart: {@code ce_specversion}, or a CloudEvents content type. */
    private static boolean isCloudEvent(Headers headers) {
        if (headers.lastHeader("ce_specversion") != null) {
            return true;
        }
        Header type = headers.lastHeader("content-type");
        return type != null && type.value() != null && new String(type.value(), StandardCharsets.UTF_8)
                .trim().toLowerCase(Locale.ROOT).startsWith("application/cloudevents");
    }

    private Decoded fromCloudEvent(CloudEvent event) {
        JsonNode data;
        try {
            data = CloudEventJson.data(event, mapper);
        } catch (IllegalArgumentException e) {
            return new Poison(SkipReason.NOT_JSON, "CloudEvent " + event.getId() + ": " + e.getMessage());
        }
        ObjectNode body;
        if (AUDIENCE.stream().anyMatch(name -> event.getExtension(name) != null)) {
            body = mapper.createObjectNode();
            body.set("payload", data);
            for (String name : AUDIENCE) {
                Object v = event.getExtension(name);
                if (v == null) {
                    continue;
                }
                String text = v.toString().trim();
                if (name.equals("broadcast")) {
                    body.put(name, text.equalsIgnoreCase("true"));
                } else {
                    ArrayNode list = body.putArray(name);
                    for (String item : text.split(",")) {
                        if (!item.isBlank()) {
                            list.add(item.trim());
                        }
                    }
                }
            }
        } else if (data.isObject()) {
            body = ((ObjectNode) data).deepCopy();
        } else {
            return new Poison(SkipReason.NO_AUDIENCE, "CloudEvent " + event.getId() + " (" + event.getType()
                    + ") has no audience attributes and its data is not an emit message");
        }
        body.put("id", event.getId());
        body.put("type", event.getType());
        return fromBody(body);
    }

    private static Decoded fromBody(JsonNode body) {
        if (body == null || !body.isObject()) {
            return new Poison(SkipReason.INVALID, "the value must be a JSON object");
        }
        JsonNode type = body.get("type");
        if (type == null || type.isNull()) {
            return new Poison(SkipReason.NO_TYPE, "\"type\" is missing");
        }
        try {
            return new Message(EmitMessage.fromJson(body));
        } catch (InvalidEmitException e) {
            return new Poison(e.field() == null ? SkipReason.NO_AUDIENCE : SkipReason.INVALID, e.getMessage());
        }
    }
}
