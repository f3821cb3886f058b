package dev.switchboard;

/**
 * Answers a {@code request} from a client. Runs on a core handler thread; it may block. The returned
 * value becomes the reply's {@code data}; a returned {@link java.util.concurrent.CompletionStage} is
 * awaited without blocking. A thrown {@link SwitchboardException} becomes an error reply with its
 * code and message; any other exception becomes {@code internal} and is logged.
 *
 * @param <T> the type the request's data is converted to
 */
@FunctionalInterface
public interface RequestHandler<T> {
    /**
     * @param connection the requester
     * @param data the request's data
     * @return the reply data (any value Jackson can serialise, or a CompletionStage of one)
     * @throws Exception to answer with an error
     */
    Object handle(Connection connection, T data) throws Exception;
}
