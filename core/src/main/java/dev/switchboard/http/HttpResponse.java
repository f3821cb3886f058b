package dev.switchboard.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.ErrorCode;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP response of an {@link HttpService}, for a server adapter to write. Immutable.
 *
 * @param status the status code
 * @param contentType the {@code Content-Type}, or {@code null} for a response without body
 * @param headers further headers, e.g. {@code WWW-Authenticate} or {@code Allow}
 * @param body the body, possibly empty; not copied, do not change it
 */
public record HttpResponse(int status, String contentType, Map<String, String> headers, byte[] body) {

    /** The media type of RFC 9457 problem details. */
    public static final String PROBLEM_JSON = "application/problem+json";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Validates and copies the headers. */
    public HttpResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be 100..599: " + status);
        }
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }

    /**
     * @param status the status
     * @param body a JSON value
     * @return a JSON response
     */
    public static HttpResponse json(int status, JsonNode body) {
        return new HttpResponse(status, "application/json", Map.of(), bytes(body));
    }

    /**
     * @param status the status
     * @return a response without body
     */
    public static HttpResponse empty(int status) {
        return new HttpResponse(status, null, Map.of(), new byte[0]);
    }

    /**
     * An RFC 9457 problem: {@code application/problem+json} with {@code type} {@code about:blank}, the
     * status' {@code title}, {@code status}, {@code detail}, and the wire error {@code code}; with
     * {@code field} when one field is at fault.
     *
     * <pre>{@code
     * {"type":"about:blank","title":"Bad Request","status":400,
     *  "detail":"\"users\" must be an array of strings","code":"bad_request","field":"users"}
     * }</pre>
     *
     * @param status the HTTP status
     * @param code the wire error code
     * @param detail what is wrong, safe to show the caller
     * @param field the offending field, or {@code null}
     * @return the response
     */
    public static HttpResponse problem(int status, ErrorCode code, String detail, String field) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("type", "about:blank");
        body.put("title", title(status));
        body.put("status", status);
        body.put("detail", detail == null ? "" : detail);
        body.put("code", code.wire());
        if (field != null) {
            body.put("field", field);
        }
        return new HttpResponse(status, PROBLEM_JSON, Map.of(), bytes(body));
    }

    /**
     * @param name a header name
     * @param value its value
     * @return a copy with that header added (or replaced)
     */
    public HttpResponse withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return new HttpResponse(status, contentType, h, body);
    }

    /** @return the body as UTF-8 text */
    public String bodyText() {
        return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * @param code a wire error code
     * @return the HTTP status that stands for it (400, 401, 403, 404, 409, 413, 429, 503, 504; else 500)
     */
    public static int statusOf(ErrorCode code) {
        return switch (code) {
            case BAD_REQUEST, UNKNOWN_EVENT -> 400;
            case UNAUTHORIZED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case TOO_LARGE -> 413;
            case RATE_LIMITED -> 429;
            case UNAVAILABLE -> 503;
            case TIMEOUT -> 504;
            case INTERNAL -> 500;
        };
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "HTTP " + status;
        };
    }

    private static byte[] bytes(JsonNode body) {
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "HttpResponse[" + status + ", " + contentType + ", " + bodyText() + "]";
    }
}
