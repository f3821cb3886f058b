package dev.switchboard.crud;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * Storage for one collection of JSON items, exposed over the socket by the CRUD service. Every item
 * has a string {@code id} (assigned by the repository) and a numeric {@code version} that starts at
 * 1 and grows by one on every write.
 *
 * <p>Methods run on core handler threads and may block on I/O. Errors are reported by throwing a
 * {@link dev.switchboard.SwitchboardException}: {@code not_found}, {@code conflict} (stale version)
 * or {@code unavailable} (storage down). Implementations are thread-safe.
 */
public interface Repository {

    /** @param id an item id @return the item, if it exists */
    Optional<ObjectNode> get(String id);

    /**
     * @param query a validated query (fields already checked against the collection's)
     * @return the page, with the total count of matching items
     */
    Page list(Query query);

    /**
     * Stores a new item under a new id, with version 1.
     *
     * @param item the item without {@code id} and {@code version} (any given are replaced)
     * @return the stored item
     */
    ObjectNode create(ObjectNode item);

    /**
     * Replaces an item, checking its version when one is expected.
     *
     * @param id the item's id
     * @param item the new content ({@code id} and {@code version} in it are ignored)
     * @param expectedVersion the version the caller saw, or null to replace whatever is there
     * @return the stored item with its new version
     * @throws dev.switchboard.SwitchboardException {@code not_found} or {@code conflict}
     */
    ObjectNode replace(String id, ObjectNode item, Long expectedVersion);

    /**
     * @param id the item's id
     * @param expectedVersion the version the caller saw, or null
     * @return the deleted item, or empty if there was none
     * @throws dev.switchboard.SwitchboardException {@code conflict} on a stale version
     */
    Optional<ObjectNode> delete(String id, Long expectedVersion);
}
