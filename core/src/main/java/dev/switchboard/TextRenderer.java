package dev.switchboard;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Decides what a client of a {@link PlainEndpoint} receives for an event routed to it (by
 * {@link Switchboard#to}, {@link Connection#send} or a durable topic). A message is rendered once per
 * endpoint on each node and the same text is written to every plain connection of that endpoint there;
 * connections of the JSON protocol in the same audience get the usual {@code event} frame.
 *
 * <p>Runs on the thread that routes the message (an application thread, or a backplane's delivery
 * thread for messages from other nodes): it must be quick, must not block and should not throw (a
 * thrown exception is logged and the message is skipped for this endpoint).
 */
@FunctionalInterface
public interface TextRenderer {

    /**
     * @param event the event name
     * @param data the event's data as JSON ({@code NullNode} for {@code null})
     * @return the text frame to send, or {@code null} to send nothing for this event
     */
    String render(String event, JsonNode data);

    /**
     * The default: a string is sent as it is, {@code null} is not sent, anything else is sent as its
     * compact JSON.
     *
     * @return the renderer
     */
    static TextRenderer data() {
        return (event, data) -> data == null || data.isNull() || data.isMissingNode() ? null
                : data.isTextual() ? data.asText() : data.toString();
    }

    /**
     * @param event the only event whose data is sent; every other event is skipped
     * @return a renderer that sends that event's data like {@link #data()} and nothing else
     */
    static TextRenderer onlyEvent(String event) {
        java.util.Objects.requireNonNull(event, "event");
        TextRenderer data = data();
        return (e, d) -> event.equals(e) ? data.render(e, d) : null;
    }
}
