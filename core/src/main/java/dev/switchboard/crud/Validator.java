package dev.switchboard.crud;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Checks an item before it is stored (POST, PUT, and PATCH after the patch is applied). Throw
 * {@link ValidationException} naming the field; the client gets {@code bad_request} and nothing is
 * stored.
 */
@FunctionalInterface
public interface Validator {

    /**
     * @param operation POST, PUT or PATCH
     * @param item the item as it would be stored (without id and version for POST)
     * @throws ValidationException when the item is not acceptable
     */
    void validate(CrudOperation operation, ObjectNode item);

    /** @return a validator that accepts everything (the default) */
    static Validator acceptAll() {
        return (operation, item) -> { };
    }
}
