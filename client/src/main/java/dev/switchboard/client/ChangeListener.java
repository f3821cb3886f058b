package dev.switchboard.client;

/**
 * Receives a collection's changes, registered with {@link RemoteCollection#subscribe(ChangeListener)}.
 *
 * <p>Runs on the client's callback executor, with the same rules as {@link TopicListener}: with the
 * default single-threaded executor, one change at a time in the order the server published them. It
 * should not block, and must not {@code join()} one of the client's futures (compose instead).
 *
 * @param <T> the collection's item type
 */
@FunctionalInterface
public interface ChangeListener<T> {

    /**
     * @param change what changed, with the item converted (or {@code null} for a deletion)
     * @throws Exception any failure; it is logged and does not affect other listeners
     */
    void onChange(CollectionChange<T> change) throws Exception;
}
