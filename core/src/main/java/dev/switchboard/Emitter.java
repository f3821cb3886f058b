package dev.switchboard;

/**
 * Sends events to an {@link Audience}: {@code board.to(Audience.user("alice")).emit("order.status", status)}.
 * The frame is encoded once and the same bytes are written to every matching connection on every node.
 */
public interface Emitter {

    /**
     * Routes an event. Never blocks on I/O.
     *
     * @param event the event name
     * @param data any value Jackson can serialise, or {@code null}
     * @return how many connections on this node it was queued for (other nodes are not counted)
     */
    default int emit(String event, Object data) {
        return emit(event, data, EventMetadata.NONE);
    }

    /**
     * Routes an event with its metadata (id, source, time), which travels in the event frame to every
     * node and client. Never blocks on I/O, except for a durable topic (see
     * {@link Switchboard#durableTopic}).
     *
     * @param event the event name
     * @param data any value Jackson can serialise, or {@code null}
     * @param metadata the event's id, source and time; {@link EventMetadata#NONE} for none
     * @return how many connections on this node it was queued for (other nodes are not counted)
     * @throws IllegalArgumentException when {@code data} cannot be serialised
     */
    int emit(String event, Object data, EventMetadata metadata);

    /** @return an emitter that does not publish to other nodes */
    Emitter local();

    /**
     * Encodes the event for a backplane to publish later, without delivering it anywhere now: for a
     * publish inside a database transaction (see {@code PostgresBackplane.publish(java.sql.Connection,
     * PreparedMessage)}), after which every node, this one included, delivers it.
     *
     * @param event the event name
     * @param data any value Jackson can serialise, or {@code null}
     * @return the encoded message
     * @throws UnsupportedOperationException for an audience naming a durable topic (its offsets are
     *     assigned at publish time, outside the caller's transaction)
     */
    PreparedMessage prepare(String event, Object data);
}
