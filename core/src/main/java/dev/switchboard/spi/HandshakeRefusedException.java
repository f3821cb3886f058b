package dev.switchboard.spi;

import dev.switchboard.ErrorCode;
import dev.switchboard.SwitchboardException;
import java.time.Duration;

/**
 * Refuses a WebSocket handshake before the upgrade; transports answer with {@link #httpStatus()} and a
 * body in the wire protocol's error shape. {@link AuthenticationException} (401, 403) is one kind; the
 * node's {@link dev.switchboard.ConnectionLimits} raise the others: 429 (too many connections or
 * handshakes from one user or address, with {@code Retry-After}) and 503 (the node is full, or draining: {@link dev.switchboard.Switchboard#drain}).
 */
public class HandshakeRefusedException extends SwitchboardException {
    private final int httpStatus;
    private final Duration retryAfter;

    /**
     * @param code the wire error code
     * @param httpStatus the HTTP status of the refused upgrade
     * @param retryAfter how long the client should wait before trying again, or {@code null}
     * @param message why, safe to show the client
     */
    protected HandshakeRefusedException(ErrorCode code, int httpStatus, Duration retryAfter, String message) {
        super(code, message);
        this.httpStatus = httpStatus;
        this.retryAfter = retryAfter;
    }

    /**
     * @param message why
     * @param retryAfter when to try again, or {@code null}
     * @return a refusal with 429 and {@code rate_limited}: too many connections or handshakes from one
     *     user or address
     */
    public static HandshakeRefusedException tooMany(String message, Duration retryAfter) {
        return new HandshakeRefusedException(ErrorCode.RATE_LIMITED, 429, retryAfter, message);
    }

    /**
     * @param message why
     * @return a refusal with 503 and {@code unavailable}: the node holds as many connections as it may
     */
    public static HandshakeRefusedException full(String message) {
        return new HandshakeRefusedException(ErrorCode.UNAVAILABLE, 503, Duration.ofSeconds(5), message);
    }

    /**
     * @param retryAfter when to try again
     * @return a refusal with 503 and {@code unavailable}: the node is draining (shutting down), another
     *     node will take the client
     */
    public static HandshakeRefusedException draining(Duration retryAfter) {
        return new HandshakeRefusedException(ErrorCode.UNAVAILABLE, 503, retryAfter,
                "this server is shutting down; try another");
    }

    /** @return the HTTP status for the refused upgrade */
    public int httpStatus() {
        return httpStatus;
    }

    /** @return how long the client should wait before trying again, or {@code null} for no advice */
    public Duration retryAfter() {
        return retryAfter;
    }
}
