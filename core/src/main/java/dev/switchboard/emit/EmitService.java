package dev.switchboard.emit;

/**
 * Routes messages from other services, once per id: the logic behind {@code POST /api/emit}, for every
 * source of such messages (the HTTP endpoint, a broker consumer, the application itself). One per node,
 * from {@code board.emitService()}, so every source shares its de-duplication window.
 *
 * <pre>{@code
 * EmitMessage m = EmitMessage.fromJson(record.value(), board.mapper());   // e.g. a Kafka record
 * board.emitService().accept(m);
 * }</pre>
 *
 * <p>Thread-safe. {@link #accept} never blocks on I/O, except for a message to a durable topic, which
 * waits for the history store (see {@code Switchboard.durableTopic}).
 */
public interface EmitService {

    /**
     * Routes the message to its {@link EmitMessage#audience() audience} on every node, as event
     * {@code type} with data {@code payload} and the message's id and time as the event's metadata —
     * unless a message with the same id was accepted within the de-duplication window.
     *
     * @param message the message
     * @return what was done
     * @throws dev.switchboard.BackplaneException when a durable topic's history store fails (the id is
     *     then forgotten, so a retry is delivered)
     * @throws IllegalArgumentException when the payload cannot be serialised
     */
    EmitResult accept(EmitMessage message);

    /**
     * Like {@link #accept}, but delivers to the audience's connections <em>on this node only</em>, for
     * sources that every node reads for itself (e.g. a Kafka event source where each node has its own
     * consumer group): the message is not published to other nodes, and it is not appended to a durable
     * topic's history (node-local emits are not durable). Shares the de-duplication window with
     * {@link #accept}.
     *
     * @param message the message
     * @return what was done
     * @throws IllegalArgumentException when the payload cannot be serialised
     */
    EmitResult acceptLocally(EmitMessage message);

    /** @return the settings */
    EmitOptions options();
}
