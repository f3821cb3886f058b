package dev.switchboard.crud;

import dev.switchboard.Connection;

/**
 * Decides per operation whether a connection may act on a collection. A denied request gets
 * {@code forbidden}; nothing is changed or published. Also decides who may subscribe to the
 * collection's change topic (as a {@link CrudOperation#LIST}).
 */
@FunctionalInterface
public interface CrudAuthorizer {

    /**
     * Runs on a handler thread; may block briefly.
     *
     * @param connection who asks
     * @param operation what it asks for
     * @param id the item's id, or null for LIST and POST
     * @return true to allow
     */
    boolean permits(Connection connection, CrudOperation operation, String id);

    /** @return an authorizer that allows everything (the default) */
    static CrudAuthorizer allowAll() {
        return (connection, operation, id) -> true;
    }

    /** @return an authorizer that allows GET and LIST only */
    static CrudAuthorizer readOnly() {
        return (connection, operation, id) -> !operation.isWrite();
    }
}
