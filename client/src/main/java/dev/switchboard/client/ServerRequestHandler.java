package dev.switchboard.client;

/**
 * Answers a {@code request} frame sent by the server ({@code conn.request(event, data, timeout)} on the
 * server side), registered with {@link SwitchboardClient#onRequest(String, ServerRequestHandler)}.
 *
 * <p>Runs on the client's callback executor. The returned value becomes the {@code reply}'s data; a
 * returned {@link java.util.concurrent.CompletionStage} is awaited without blocking, so a handler that
 * needs time should return a future rather than block the executor. A thrown (or future-completing)
 * {@link dev.switchboard.SwitchboardException} becomes an error reply with its code and message; any
 * other exception becomes an {@code internal} error reply with a generic message, and is logged.
 *
 * @param <T> the type the request's data is converted to
 */
@FunctionalInterface
public interface ServerRequestHandler<T> {

    /**
     * @param data the request's data, converted
     * @return the reply data: any value the client's mapper can serialise, {@code null}, or a
     *     {@link java.util.concurrent.CompletionStage} of one
     * @throws Exception to answer with an error
     */
    Object handle(T data) throws Exception;
}
