package dev.switchboard;

/** A request got no reply within its timeout. Maps to {@link ErrorCode#TIMEOUT}. */
public class RequestTimeoutException extends SwitchboardException {
    /** @param message what timed out */
    public RequestTimeoutException(String message) {
        super(ErrorCode.TIMEOUT, message);
    }
}
