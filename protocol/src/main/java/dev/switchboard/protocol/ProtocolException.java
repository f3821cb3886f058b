package dev.switchboard.protocol;

import dev.switchboard.ErrorCode;
import dev.switchboard.SwitchboardException;

/**
 * A frame that cannot be decoded. Carries the request id when the frame had one, so the error can be
 * sent as that request's reply.
 */
public class ProtocolException extends SwitchboardException {
    private final transient com.fasterxml.jackson.databind.JsonNode requestId;

    /** @param code the wire code @param message what is wrong @param requestId the frame's id, or null */
    public ProtocolException(ErrorCode code, String message, com.fasterxml.jackson.databind.JsonNode requestId) {
        super(code, message);
        this.requestId = requestId;
    }

    /** @return the offending frame's request id, or {@code null} */
    public com.fasterxml.jackson.databind.JsonNode requestId() {
        return requestId;
    }
}
