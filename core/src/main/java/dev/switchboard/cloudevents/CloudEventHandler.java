package dev.switchboard.cloudevents;

import io.cloudevents.CloudEvent;

/**
 * Handles incoming CloudEvents of one type: registered with
 * {@code board.onCloudEvent("order.created", handler)}, called for events posted to the HTTP endpoint
 * ({@code POST /events}) and for any other source that dispatches through the node (e.g. an event
 * source reading a broker).
 *
 * <p>Threading: runs on the thread that received the event — for HTTP, the server's request thread —
 * and may block briefly (a repository lookup, a routed emit); the HTTP answer waits for it, so a
 * sender such as a Knative trigger retries when the handler fails.
 */
@FunctionalInterface
public interface CloudEventHandler {

    /**
     * @param event the event, validated: {@code specversion}, a non-empty {@code id}, {@code source} and
     *     {@code type}; JSON data is already parsed (read it with {@link CloudEventJson#data})
     * @throws Exception to refuse or fail: a {@link dev.switchboard.SwitchboardException} answers the HTTP
     *     sender with its code's status ({@code bad_request} 400, {@code forbidden} 403, {@code not_found}
     *     404, {@code conflict} 409, {@code unavailable} 503, …); anything else is logged and answered
     *     with 500
     */
    void handle(CloudEvent event) throws Exception;
}
