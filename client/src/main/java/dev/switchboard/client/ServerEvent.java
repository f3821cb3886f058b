package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.Objects;

/**
 * An {@code event} frame pushed by the server, as delivered to a {@link TopicListener}.
 *
 * @param event the event name, e.g. {@code chat.message} or {@code ADDED}
 * @param topic the topic it was routed through, or {@code null} when it was sent to the connection
 *     directly (by connection, user, role or organisation)
 * @param offset the event's offset on a durable topic, or {@code null}
 * @param data the event's data; JSON {@code null} when the frame had none, never Java {@code null}
 */
public record ServerEvent(String event, String topic, Long offset, JsonNode data) {

    /** Requires an event name; a {@code null} data becomes {@link NullNode}. */
    public ServerEvent {
        Objects.requireNonNull(event, "event");
        data = data == null ? NullNode.getInstance() : data;
    }
}
