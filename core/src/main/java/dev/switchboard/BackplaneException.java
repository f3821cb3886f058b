package dev.switchboard;

/**
 * A backplane failed to start, publish or deliver. Maps to {@link ErrorCode#UNAVAILABLE}, or to the
 * code given (e.g. {@link ErrorCode#TOO_LARGE} for a message the backplane cannot carry).
 */
public class BackplaneException extends SwitchboardException {
    /**
     * @param message what failed
     * @param cause the underlying failure, or null
     */
    public BackplaneException(String message, Throwable cause) {
        super(ErrorCode.UNAVAILABLE, message, cause);
    }

    /**
     * @param code the wire error code the failure maps to
     * @param message what failed
     * @param cause the underlying failure, or null
     */
    public BackplaneException(ErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
