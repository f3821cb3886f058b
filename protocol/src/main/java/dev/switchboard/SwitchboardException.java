package dev.switchboard;

import java.util.Objects;

/**
 * Root of Switchboard's unchecked exceptions. Every instance carries the {@link ErrorCode} it maps to
 * on the wire, so a request handler may throw one to answer with a typed error:
 *
 * <pre>{@code
 * throw new SwitchboardException(ErrorCode.NOT_FOUND, "items/1 does not exist");
 * }</pre>
 *
 * <p>The message of an exception thrown by a handler is sent to the client; any other exception
 * becomes {@code internal} with a generic message, and is logged.
 */
public class SwitchboardException extends RuntimeException {
    private final ErrorCode code;

    /**
     * @param code the wire error code
     * @param message a message that is safe to show to the peer
     */
    public SwitchboardException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    /**
     * @param code the wire error code
     * @param message a message that is safe to show to the peer
     * @param cause the underlying failure (never sent to the peer)
     */
    public SwitchboardException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** @return the wire error code */
    public ErrorCode code() {
        return code;
    }
}
