package dev.switchboard.protocol;

import dev.switchboard.ErrorCode;
import dev.switchboard.SwitchboardException;
import java.util.Objects;

/**
 * The {@code error} object of a reply or error frame.
 *
 * <p>Error messages are bounded: a message longer than {@link #MAX_MESSAGE_CHARS} is cut (ending in
 * {@code …}), and values a client sent are quoted with {@link #quote(String)}, so an error never echoes
 * a large client value back (an event name of 60 KB, say).
 *
 * @param code a wire error code such as {@code not_found}
 * @param message a human-readable message, at most {@link #MAX_MESSAGE_CHARS} characters
 */
public record WireError(String code, String message) {
    /** The longest message an error carries; longer ones are cut. */
    public static final int MAX_MESSAGE_CHARS = 300;
    /** The most characters of a client's value that {@link #quote(String)} keeps. */
    public static final int MAX_QUOTED_CHARS = 64;

    /** Requires both fields; cuts the message to {@link #MAX_MESSAGE_CHARS}. */
    public WireError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        if (code.length() > 64) {
            code = code.substring(0, 64);
        }
        message = cut(message, MAX_MESSAGE_CHARS);
    }

    /**
     * Quotes a value the client sent (an event, topic, collection or field name) for an error message:
     * in double quotes, at most {@link #MAX_QUOTED_CHARS} characters of it (then {@code …}).
     *
     * @param value the client's value, or null
     * @return e.g. {@code "chat.send"}
     */
    public static String quote(String value) {
        return "\"" + cut(String.valueOf(value), MAX_QUOTED_CHARS) + "\"";
    }

    private static String cut(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + "\u2026";
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
