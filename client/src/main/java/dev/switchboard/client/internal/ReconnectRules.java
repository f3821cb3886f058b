package dev.switchboard.client.internal;

import dev.switchboard.ConnectionClosedException;
import dev.switchboard.ErrorCode;
import dev.switchboard.SwitchboardException;
import dev.switchboard.client.CloseStatus;
import java.net.URI;
import java.net.http.WebSocketHandshakeException;

/**
 * Which connection losses end the client instead of starting a reconnect. The rule, documented on
 * {@code SwitchboardClient}: a server close with 1000 (the server ended the session on purpose) or 1008
 * (policy violation: reconnecting would be refused again), and a handshake refused with 401 or 403 (the
 * credentials are not accepted), are final; everything else is retried with backoff.
 */
public final class ReconnectRules {
    private ReconnectRules() {
    }

    /**
     * @param closeCode the close code the connection ended with
     * @return true when the client must not reconnect after it
     */
    public static boolean isTerminalClose(int closeCode) {
        return closeCode == 1000 || closeCode == 1008;
    }

    /**
     * @param closeCode the close code the connection ended with
     * @param tokenProvider whether the client can fetch a fresh token
     * @return true when the client must not reconnect: also 4001 (token expired) without a token
     *     provider, since the same token would only be refused again
     */
    public static boolean isTerminalClose(int closeCode, boolean tokenProvider) {
        return isTerminalClose(closeCode) || (closeCode == 4001 && !tokenProvider);
    }

    /**
     * @param httpStatus the status of a refused upgrade
     * @return true when the client must not try again
     */
    public static boolean isTerminalHandshake(int httpStatus) {
        return httpStatus == 401 || httpStatus == 403;
    }

    /**
     * @param error a connect failure
     * @return the HTTP status of a refused upgrade, or -1 when the failure was not a refused upgrade
     */
    public static int handshakeStatus(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof WebSocketHandshakeException h && h.getResponse() != null) {
                return h.getResponse().statusCode();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return -1;
    }

    /**
     * @param uri the endpoint, for the message
     * @param code the close code the first connection ended with
     * @param reason its reason
     * @param cause the connect failure, or null
     * @param status the HTTP status of a refused upgrade, or -1
     * @return why {@code connect} failed: {@code unauthorized} or {@code forbidden} for 401 or 403,
     *     {@code unavailable} otherwise
     */
    public static SwitchboardException connectFailure(URI uri, int code, String reason, Throwable cause,
                                                      int status) {
        if (status == 401) {
            return new SwitchboardException(ErrorCode.UNAUTHORIZED, "handshake rejected with HTTP 401");
        } else if (status == 403) {
            return new SwitchboardException(ErrorCode.FORBIDDEN, "handshake rejected with HTTP 403");
        } else if (status >= 0) {
            return new SwitchboardException(ErrorCode.UNAVAILABLE, "handshake rejected with HTTP " + status);
        } else if (cause != null) {
            return new SwitchboardException(ErrorCode.UNAVAILABLE, "cannot connect to " + uri + ": "
                    + reason, cause);
        }
        return new ConnectionClosedException("connection closed before the welcome frame (" + code
                + (reason.isEmpty() ? "" : " " + reason) + ")");
    }

    /**
     * @param code the close code the last connection ended with
     * @param reason its reason
     * @param handshakeStatus the HTTP status of a refused upgrade, or -1
     * @return the status {@code closeFuture} reports: 1008 for a 401/403 handshake (final by rule)
     */
    public static CloseStatus closeStatus(int code, String reason, int handshakeStatus) {
        if (handshakeStatus >= 0) {
            return new CloseStatus(ReconnectRules.isTerminalHandshake(handshakeStatus) ? CloseStatus.POLICY_VIOLATION
                    : CloseStatus.ABNORMAL, "handshake rejected with HTTP " + handshakeStatus);
        }
        return new CloseStatus(code, reason);
    }
}
