package dev.switchboard;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Runs before every client {@code emit} and {@code request} handler, on the handler thread: auth
 * checks, rate limits, logging. Throw a {@link SwitchboardException} to stop the message; a request
 * then gets that error as its reply, an emit gets an {@code error} frame.
 */
@FunctionalInterface
public interface Interceptor {

    /** What an interceptor sees. @param kind {@code emit} or {@code request} @param event the event @param data its raw data */
    record Inbound(String kind, String event, JsonNode data) { }

    /**
     * @param connection the sender
     * @param message the message
     * @throws SwitchboardException to refuse the message
     */
    void intercept(Connection connection, Inbound message);
}
