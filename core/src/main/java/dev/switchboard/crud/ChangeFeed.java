package dev.switchboard.crud;

import java.util.function.Consumer;

/**
 * Brings in changes made outside the socket, e.g. straight in the database (a Postgres trigger with
 * NOTIFY, a MongoDB change stream), so subscribed clients see them too. When a collection has a
 * change feed, the CRUD service does not publish its own writes: the feed reports every change,
 * whoever made it, exactly once.
 *
 * <p>In a cluster every node runs its own feed of the same storage (a Postgres LISTEN, a MongoDB
 * change stream) and hears every change, so the core delivers feed events to the subscribers on its
 * own node only, never through the backplane.
 */
public interface ChangeFeed extends AutoCloseable {

    /**
     * Starts delivering changes. The sink may be called on the feed's own thread; it does not block.
     *
     * @param sink receives every change
     */
    void start(Consumer<ChangeEvent> sink);

    /** Stops delivering. Idempotent. */
    @Override
    void close();
}
