package dev.switchboard.emit;

import dev.switchboard.ErrorCode;
import dev.switchboard.SwitchboardException;

/**
 * An emit message is malformed: maps to {@code bad_request} (HTTP 400) with a message naming the field.
 */
public class InvalidEmitException extends SwitchboardException {
    private final String field;

    /**
     * @param field the offending field, or {@code null} when the problem is not one field's (e.g. the
     *     body is not JSON, or no audience is named)
     * @param message what is wrong, safe to show the sender
     */
    public InvalidEmitException(String field, String message) {
        super(ErrorCode.BAD_REQUEST, message);
        this.field = field;
    }

    /** @return the offending field, or {@code null} */
    public String field() {
        return field;
    }
}
