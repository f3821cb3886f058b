package dev.switchboard.crud;

/** The CRUD requests of protocol v1; each name is also the request's event. */
public enum CrudOperation {
    /** Read one item. */
    GET,
    /** Read a page of items. */
    LIST,
    /** Create an item. */
    POST,
    /** Replace an item. */
    PUT,
    /** Patch an item (RFC 6902 or RFC 7396). */
    PATCH,
    /** Delete an item. */
    DELETE;

    /** @return true for operations that change data */
    public boolean isWrite() {
        return this != GET && this != LIST;
    }
}
