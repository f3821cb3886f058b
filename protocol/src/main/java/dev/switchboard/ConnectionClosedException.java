package dev.switchboard;

/**
 * The connection closed before an operation finished; pending requests on a closed connection
 * complete with this. Maps to {@link ErrorCode#UNAVAILABLE}.
 */
public class ConnectionClosedException extends SwitchboardException {
    /** @param message which connection closed and why */
    public ConnectionClosedException(String message) {
        super(ErrorCode.UNAVAILABLE, message);
    }
}
