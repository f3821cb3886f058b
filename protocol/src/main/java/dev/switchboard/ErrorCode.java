package dev.switchboard;

import java.util.Locale;

/**
 * The error codes of wire protocol v1. Each travels as its lower-case {@link #wire() wire name} in
 * {@code reply} and {@code error} frames.
 */
public enum ErrorCode {
    /** The frame or its data is malformed. */
    BAD_REQUEST,
    /** No or invalid credentials. */
    UNAUTHORIZED,
    /** Credentials are valid but the action is not allowed. */
    FORBIDDEN,
    /** The named thing does not exist. */
    NOT_FOUND,
    /** A version or state check failed. */
    CONFLICT,
    /** No handler is registered for the event. */
    UNKNOWN_EVENT,
    /** The peer did not answer in time. */
    TIMEOUT,
    /** A frame or value is larger than allowed. */
    TOO_LARGE,
    /** The sender exceeded its rate limit. */
    RATE_LIMITED,
    /** The node cannot take the work now (shutting down, overloaded, disconnected). */
    UNAVAILABLE,
    /** An unexpected failure; details are logged on the server, never sent. */
    INTERNAL;

    private final String wire = name().toLowerCase(Locale.ROOT);

    /** @return the code as written on the wire, e.g. {@code not_found} */
    public String wire() {
        return wire;
    }

    /**
     * Parses a wire code.
     *
     * @param wire a code such as {@code not_found}; unknown or null codes map to {@link #INTERNAL}
     * @return the matching code
     */
    public static ErrorCode fromWire(String wire) {
        if (wire != null) {
            for (ErrorCode code : values()) {
                if (code.wire.equals(wire)) {
                    return code;
                }
            }
        }
        return INTERNAL;
    }
}
