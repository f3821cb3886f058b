package dev.switchboard.crud;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * What a client asks a collection for, as its {@link CrudAuthorizer} sees it. The items are copies:
 * changing them changes nothing.
 *
 * @param collection the collection's name
 * @param operation what the client asks for
 * @param id the item's id; {@code null} for LIST and POST
 * @param current the item as stored now, for GET, PUT, PATCH and DELETE; {@code null} for LIST and POST,
 *     and when no such item exists (the client then gets {@code not_found} if the authorizer allows)
 * @param proposed the item as it would be stored, without {@code version}: the new item of a POST or
 *     PUT, the patched item of a PATCH; {@code null} for GET, LIST and DELETE
 */
public record CrudRequest(String collection, CrudOperation operation, String id, ObjectNode current,
                          ObjectNode proposed) {

    /** Requires the collection and operation. */
    public CrudRequest {
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(operation, "operation");
    }

    /** @return true for operations that change data */
    public boolean isWrite() {
        return operation.isWrite();
    }
}
