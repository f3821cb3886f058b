package dev.switchboard.crud;

import dev.switchboard.ErrorCode;
import dev.switchboard.SwitchboardException;
import java.util.Objects;

/** An item failed validation; maps to {@code bad_request} with a message naming the field. */
public class ValidationException extends SwitchboardException {
    private final String field;

    /**
     * @param field the offending field
     * @param message what is wrong with it
     */
    public ValidationException(String field, String message) {
        super(ErrorCode.BAD_REQUEST, Objects.requireNonNull(field, "field") + ": " + message);
        this.field = field;
    }

    /** @return the offending field */
    public String field() {
        return field;
    }
}
