package dev.switchboard.internal;

import dev.switchboard.Identity;
import java.util.concurrent.Executor;

/**
 * The node as one {@link DefaultConnection} sees it: where its work runs, its topic memberships and
 * identity in the node's indexes, the reader of its inbound frames, and the one call when it closes.
 */
interface ConnectionHost extends NodeContext {
    /** The node's handler pool (the connection adds its MDC and its serial executor on top). */
    Executor handlerExecutor();

    /** The {@code cloudevents.json} codec, for connections that speak it. */
    CloudEventsWire cloudEventsWire();

    /**
     * The reader of a new connection's inbound frames; called once, from the connection's constructor.
     *
     * @param conn the connection, not yet fully constructed: keep it, call nothing on it
     * @return its protocol dispatcher, or its plain endpoint's reader
     */
    Inbound inbound(DefaultConnection conn);

    /** Adds the connection to a topic (a durable topic's stream first, so nothing overtakes it). */
    void join(DefaultConnection conn, String topic);

    /** Removes the connection from a topic. */
    void leave(DefaultConnection conn, String topic);

    /** Re-indexes the connection under its refreshed identity (same user). */
    void reidentify(DefaultConnection conn, Identity before, Identity after);

    /** The connection closed: called exactly once, after its pending work was failed or cancelled. */
    void closed(DefaultConnection conn, int code, String reason);
}
