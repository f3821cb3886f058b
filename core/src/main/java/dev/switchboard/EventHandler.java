package dev.switchboard;

/**
 * Handles an {@code emit} from a client. Runs on a core handler thread, never an I/O thread; it may
 * block. Emits from one connection are handled in the order they arrived.
 *
 * @param <T> the type the event's data is converted to
 */
@FunctionalInterface
public interface EventHandler<T> {
    /**
     * @param connection the sender
     * @param data the event's data
     * @throws Exception any failure, logged; the client gets an {@code error} frame
     */
    void handle(Connection connection, T data) throws Exception;
}
