package dev.switchboard.internal;

import dev.switchboard.Connection;
import dev.switchboard.Interceptor;
import dev.switchboard.Retention;
import dev.switchboard.StreamPosition;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The node as a connection's {@link InboundDispatcher} sees it: where each client frame goes. Request
 * events reserved for CRUD resolve to the node's CRUD service, every other event to the application's
 * handlers; the two never shadow each other.
 */
interface InboundRoutes extends NodeContext {
    /** @return the application's handler of an emitted event, or null */
    Handler<?> eventHandler(String event);

    /** @return the handler of a request event (a CRUD operation's while collections exist), or null */
    Handler<?> requestHandler(String event);

    /** The application's interceptors, in registration order. */
    List<Interceptor> interceptors();

    /** The subscription policy, widened by the collections' change topics their authorizers open. */
    boolean canSubscribe(Connection conn, String topic);

    /** @return the retention of a durable topic, or null for a plain topic */
    Retention retention(String topic);

    /** Reads what a subscriber of a durable topic missed since {@code since} (null: from the start). */
    CompletableFuture<DurableTopics.Recovery> recover(String topic, Retention retention, StreamPosition since);

    /**
     * Checks a client's fresh token and moves the connection to its identity.
     *
     * @return how long the new identity is valid, in ms, or null when it never expires
     */
    Long refresh(DefaultConnection conn, String token);
}
