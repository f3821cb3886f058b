package dev.switchboard.crud;

import dev.switchboard.Connection;
import java.util.Objects;
import java.util.function.BiPredicate;

/**
 * Decides whether a connection may do what it asks of a collection, seeing the item as stored and the
 * item as it would be stored. A denied request gets {@code forbidden}; nothing is changed or published.
 * Also decides who may subscribe to the collection's change topic (as a {@link CrudOperation#LIST}).
 *
 * <pre>{@code
 * // Anyone reads; a task belongs to whoever created it, and only they change or delete it.
 * CrudAuthorizer owners = (conn, req) -> switch (req.operation()) {
 *     case GET, LIST -> true;
 *     case POST -> conn.identity().userId() != null
 *             && conn.identity().userId().equals(req.proposed().path("owner").asText());
 *     case PUT, PATCH -> req.current() != null && isOwner(conn, req.current())
 *             && req.current().path("owner").equals(req.proposed().path("owner"));   // no hand-over
 *     case DELETE -> req.current() != null && isOwner(conn, req.current());
 * };
 * }</pre>
 *
 * <p>The service reads the current item, asks the authorizer, and writes only if that item is still
 * the stored version (a write in between makes it read and ask again), so a decision is never applied
 * to an item that changed after it was made. LIST is decided for the collection, not per item: items a
 * client may not read belong in another collection (or behind an interceptor). Change events go to every
 * subscriber of the collection's topic.
 */
@FunctionalInterface
public interface CrudAuthorizer {

    /**
     * Runs on a handler thread; may block briefly. Must not change the request's items.
     *
     * @param connection who asks
     * @param request the collection, operation, id, current and proposed item
     * @return true to allow
     */
    boolean permits(Connection connection, CrudRequest request);

    /** @return an authorizer that allows everything (the default) */
    static CrudAuthorizer allowAll() {
        return (connection, request) -> true;
    }

    /** @return an authorizer that allows GET and LIST only */
    static CrudAuthorizer readOnly() {
        return (connection, request) -> !request.isWrite();
    }

    /**
     * @param rule decides by connection and operation alone, e.g.
     *     {@code (conn, op) -> !op.isWrite() || conn.identity().hasRole("editor")}
     * @return an authorizer that ignores the items
     */
    static CrudAuthorizer byOperation(BiPredicate<Connection, CrudOperation> rule) {
        Objects.requireNonNull(rule, "rule");
        return (connection, request) -> rule.test(connection, request.operation());
    }
}
