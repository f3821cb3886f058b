package dev.switchboard.client;

/**
 * Receives the {@code event} frames of one event name, registered with
 * {@link SwitchboardClient#on(String, ServerEventListener)}.
 *
 * <p>Runs on the client's callback executor, never on the WebSocket I/O thread. With the default
 * single-threaded executor, callbacks run one at a time in the order the frames arrived. A listener
 * should not block: while it runs, later events, replies and request completions of this client wait.
 * In particular, do not {@code join()} one of this client's futures inside a listener; compose it
 * instead.
 *
 * @param <T> the type the event's data is converted to
 */
@FunctionalInterface
public interface ServerEventListener<T> {

    /**
     * @param data the event's data, converted; {@code null} when the frame's data was JSON {@code null}
     *     and converted to a class
     * @param topic the topic the event was routed through, or {@code null} when it was sent to this
     *     connection directly
     * @throws Exception any failure; it is logged and does not affect other listeners
     */
    void onEvent(T data, String topic) throws Exception;
}
