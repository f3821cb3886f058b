package dev.switchboard.transport.jetty.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.ErrorCode;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Writes the small JSON bodies of the HTTP surface. Stateless and thread-safe. */
public final class JsonResponses {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonResponses() {
    }

    /**
     * Writes {@code {"error":{"code":..,"message":..}}}, the wire protocol's error shape.
     *
     * @param response the response, not yet committed
     * @param status the HTTP status
     * @param code the wire error code
     * @param message a message safe to show the client, possibly {@code null}
     * @throws IOException when the client went away
     */
    public static void error(HttpServletResponse response, int status, ErrorCode code, String message)
            throws IOException {
        write(response, status, errorBody(code, message));
    }

    /**
     * @param code the wire error code
     * @param message a message safe to show the client, possibly {@code null}
     * @return {@code {"error":{"code":..,"message":..}}}
     */
    static ObjectNode errorBody(ErrorCode code, String message) {
        ObjectNode body = MAPPER.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code.wire());
        error.put("message", message == null ? "" : message);
        return body;
    }

    /**
     * @param response the response, not yet committed
     * @param status the HTTP status
     * @param body the JSON body
     * @throws IOException when the client went away
     */
    static void write(HttpServletResponse response, int status, ObjectNode body) throws IOException {
        byte[] bytes = MAPPER.writeValueAsBytes(body);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
