package dev.switchboard.protocol;

import dev.switchboard.ErrorCode;
import dev.switchboard.SwitchboardException;
import java.util.Objects;

/**
 * The {@code error} object of a reply or error frame.
 *
 * @param code a wire error code such as {@code not_found}
 * @param message a human-readable message
 */
public record WireError(String code, String message) {

    /** Requires both fields. */
    public WireError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    /** @param code the code @param message the message @return the error */
    public static WireError of(ErrorCode code, String message) {
        return new WireError(code.wire(), message);
    }

    /** @return the typed code; unknown codes map to {@link ErrorCode#INTERNAL} */
    public ErrorCode errorCode() {
        return ErrorCode.fromWire(code);
    }

    /** @return an exception carrying this error */
    public SwitchboardException toException() {
        ErrorCode c = errorCode();
        if (c == ErrorCode.TIMEOUT) {
            return new dev.switchboard.RequestTimeoutException(message);
        }
        return new SwitchboardException(c, message);
    }
}
