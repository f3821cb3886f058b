package dev.switchboard.transport.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.ErrorCode;
import dev.switchboard.spi.HandshakeRefusedException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The HTTP answer to a refused WebSocket upgrade, the same on every transport: the refusal's status,
 * {@code WWW-Authenticate: Bearer} on 401, {@code Retry-After} (whole seconds, at least 1) when the
 * refusal advises one, and the wire protocol's error body {@code {"error":{"code","message"}}} as
 * uncached JSON. Transports write it with their own API. Not an API.
 *
 * @param status the HTTP status
 * @param headers the headers to set, {@code Content-Type} among them
 * @param body the JSON body
 */
public record Refusal(int status, Map<String, String> headers, byte[] body) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param e why the upgrade is refused
     * @return its answer
     */
    public static Refusal of(HandshakeRefusedException e) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (e.httpStatus() == 401) {
            headers.put("WWW-Authenticate", "Bearer");
        }
        if (e.retryAfter() != null) {
            headers.put("Retry-After", Long.toString(Math.max(1, e.retryAfter().toSeconds())));
        }
        headers.put("Content-Type", "application/json");
        headers.put("Cache-Control", "no-store");
        return new Refusal(e.httpStatus(), Map.copyOf(headers), errorBody(e.code(), e.getMessage()));
    }

    /**
     * @param code the wire error code
     * @param message a message safe to show the client, possibly {@code null}
     * @return {@code {"error":{"code":..,"message":..}}} as UTF-8 JSON
     */
    public static byte[] errorBody(ErrorCode code, String message) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code.wire());
        error.put("message", message == null ? "" : message);
        try {
            return JSON.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
