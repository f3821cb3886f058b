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
    int emit(String event, Object data);

    /** @return an emitter that does not publish to other nodes */
    Emitter local();
}
