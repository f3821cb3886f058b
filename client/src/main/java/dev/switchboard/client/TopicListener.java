package dev.switchboard.client;

/**
 * Receives every {@code event} frame routed through one topic, registered with
 * {@link SwitchboardClient#subscribe(String, TopicListener)}.
 *
 * <p>Runs on the client's callback executor, with the same rules as {@link ServerEventListener}:
 * ordered under the default executor, and it should not block.
 */
@FunctionalInterface
public interface TopicListener {

    /**
     * @param event the event, with its name, topic, durable offset and data
     * @throws Exception any failure; it is logged and does not affect other listeners
     */
    void onEvent(ServerEvent event) throws Exception;
}
