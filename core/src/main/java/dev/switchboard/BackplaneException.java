package dev.switchboard;

/** A backplane failed to start, publish or deliver. Maps to {@link ErrorCode#UNAVAILABLE}. */
public class BackplaneException extends SwitchboardException {
    /**
     * @param message what failed
     * @param cause the underlying failure
     */
    public BackplaneException(String message, Throwable cause) {
        super(ErrorCode.UNAVAILABLE, message, cause);
    }
}
