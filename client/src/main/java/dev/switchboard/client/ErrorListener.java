package dev.switchboard.client;

import dev.switchboard.SwitchboardException;

/**
 * Receives errors that belong to no request, registered with
 * {@link SwitchboardClient#onError(ErrorListener)}: the server's {@code error} frames (for example
 * {@code bad_request} or {@code rate_limited}), frames from the server that cannot be decoded, and topics
 * that could not be re-subscribed after a reconnect.
 *
 * <p>Runs on the client's callback executor; it should not block. When no error listener is registered,
 * these errors are logged at WARN.
 */
@FunctionalInterface
public interface ErrorListener {

    /**
     * @param error the error, with its wire {@link dev.switchboard.ErrorCode}
     */
    void onError(SwitchboardException error);
}
