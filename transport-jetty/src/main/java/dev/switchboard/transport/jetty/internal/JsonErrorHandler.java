package dev.switchboard.transport.jetty.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.ErrorCode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.List;
import org.eclipse.jetty.ee11.servlet.ErrorHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error pages (404 for an unknown path, 405 for a wrong method, 500 …) in the protocol's JSON error
 * shape, {@code {"error":{"code":"not_found","message":"Not Found"},"status":404}}, for every client that does
 * not ask for HTML: API clients, {@code curl} and {@code fetch} (which accept anything) get JSON; a browser
 * navigating to a page (it accepts {@code text/html}) still gets Jetty's HTML page. Never shows stack traces.
 */
final class JsonErrorHandler extends ErrorHandler {

    JsonErrorHandler() {
        // What "Accept: */*" or no Accept header gets; an explicit text/html still wins.
        setDefaultResponseMimeType("application/json");
        setShowStacks(false);
    }

    /** "Accept: *&#47;*" (curl, fetch) would get Jetty's HTML page: answer such clients in JSON. */
    @Override
    protected boolean generateAcceptableResponse(Request request, Response response, Callback callback,
                                                 String contentType, List<Charset> charsets, int code, String message,
                                                 Throwable cause) throws IOException {
        String type = "*/*".equals(contentType) ? "application/json" : contentType;
        return super.generateAcceptableResponse(request, response, callback, type, charsets, code, message, cause);
    }

    @Override
    protected void writeErrorJson(Request request, PrintWriter writer, int code, String message, Throwable cause) {
        ObjectNode body = JsonResponses.MAPPER.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", wireCode(code).wire());
        error.put("message", message == null || message.isBlank() ? "HTTP " + code : message);
        body.put("status", code);
        writer.write(body.toString());
    }

    /** @return the wire error code closest to an HTTP status */
    static ErrorCode wireCode(int status) {
        return switch (status) {
            case 401 -> ErrorCode.UNAUTHORIZED;
            case 403 -> ErrorCode.FORBIDDEN;
            case 404 -> ErrorCode.NOT_FOUND;
            case 408 -> ErrorCode.TIMEOUT;
            case 409 -> ErrorCode.CONFLICT;
            case 413 -> ErrorCode.TOO_LARGE;
            case 429 -> ErrorCode.RATE_LIMITED;
            case 503 -> ErrorCode.UNAVAILABLE;
            default -> status >= 500 ? ErrorCode.INTERNAL : ErrorCode.BAD_REQUEST;
        };
    }
}
