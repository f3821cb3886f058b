package dev.switchboard.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.BackplaneException;
import dev.switchboard.ErrorCode;
import dev.switchboard.Identity;
import dev.switchboard.emit.EmitMessage;
import dev.switchboard.emit.EmitResult;
import dev.switchboard.emit.EmitService;
import dev.switchboard.emit.InvalidEmitException;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/emit}: routes a message from another service to online users (see
 * {@link EmitMessage} for the body and {@link EmitService} for the routing and de-duplication).
 *
 * <table>
 * <caption>Answers</caption>
 * <tr><td>202</td><td>{@code {"id":"…","accepted":true}} (and {@code "duplicate":true} when the id was
 *     already accepted within the window: not delivered again)</td></tr>
 * <tr><td>400</td><td>malformed JSON, a missing or mistyped field (the problem's {@code field} names it),
 *     no audience</td></tr>
 * <tr><td>401 / 403</td><td>no or an invalid credential / a credential without the right (the
 *     {@link HttpAuthorizer})</td></tr>
 * <tr><td>405</td><td>a method other than POST</td></tr>
 * <tr><td>413</td><td>a body over {@link #maxBodyBytes()}</td></tr>
 * <tr><td>415</td><td>a {@code Content-Type} other than {@code application/json} (or {@code …+json})</td></tr>
 * <tr><td>503</td><td>a durable topic's history store failed: retry with the same id</td></tr>
 * </table>
 *
 * <p>Every refusal is an RFC 9457 {@code application/problem+json} body. Checks run in this order:
 * method, credentials, media type, size, body. Thread-safe; {@link #handle} may block briefly (only for
 * a durable topic's history store).
 */
public final class EmitHttpService implements HttpService {
    private static final Logger log = LoggerFactory.getLogger(EmitHttpService.class);

    private final EmitService emits;
    private final HttpAuthorizer authorizer;
    private final ObjectMapper mapper;
    private final int maxBodyBytes;

    private EmitHttpService(EmitService emits, HttpAuthorizer authorizer, ObjectMapper mapper, int maxBodyBytes) {
        this.emits = Objects.requireNonNull(emits, "emits");
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive: " + maxBodyBytes);
        }
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * @param emits the node's emit service ({@code board.emitService()})
     * @param authorizer who may call it, e.g. {@link ApiKeys}
     * @param mapper the mapper to parse bodies with ({@code board.mapper()})
     * @param maxBodyBytes the largest body accepted
     * @return the service
     */
    public static EmitHttpService create(EmitService emits, HttpAuthorizer authorizer, ObjectMapper mapper,
                                         int maxBodyBytes) {
        return new EmitHttpService(emits, authorizer, mapper, maxBodyBytes);
    }

    @Override
    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        try {
            return serve(request);
        } catch (RuntimeException e) {
            log.error("POST {} failed", request.path(), e);
            return HttpResponse.problem(500, ErrorCode.INTERNAL, "internal error", null);
        }
    }

    private HttpResponse serve(HttpRequest request) {
        if (!request.method().equals("POST")) {
            return Problems.methodNotAllowed(request);
        }
        HttpResponse[] refusal = new HttpResponse[1];
        Identity caller = Problems.authorize(authorizer, request, refusal);
        if (caller == null) {
            return refusal[0];
        }
        if (!isJson(request.mediaType())) {
            return Problems.unsupportedMediaType(request, "application/json");
        }
        if (request.bodyTooLarge() || request.body().length > maxBodyBytes) {
            return Problems.tooLarge(maxBodyBytes);
        }
        EmitMessage message;
        try {
            message = EmitMessage.fromJson(request.body(), mapper);
        } catch (InvalidEmitException e) {
            return HttpResponse.problem(400, ErrorCode.BAD_REQUEST, e.getMessage(), e.field());
        }
        EmitResult result;
        // The caller's W3C trace context (headers traceparent, tracestate) goes with the routed event.
        dev.switchboard.TraceContext trace = dev.switchboard.TraceContext.parse(request.header("traceparent"),
                request.header("tracestate")).orElse(null);
        dev.switchboard.TraceContext previous = dev.switchboard.TraceContext.swap(trace);
        try {
            result = emits.accept(message);
        } catch (BackplaneException e) {
            log.warn("Emit {} ({}) failed: {}", message.id(), message.type(), e.getMessage());
            return HttpResponse.problem(503, ErrorCode.UNAVAILABLE,
                    "the message could not be stored; retry with the same id", null);
        } finally {
            dev.switchboard.TraceContext.swap(previous);
        }
        log.debug("Emit {} ({}) from {}: {}", message.id(), message.type(), caller.name(),
                result.duplicate() ? "duplicate" : result.localRecipients() + " local recipient(s)");
        ObjectNode body = mapper.createObjectNode();
        body.put("id", result.id());
        body.put("accepted", true);
        if (result.duplicate()) {
            body.put("duplicate", true);
        }
        return HttpResponse.json(202, body);
    }

    private static boolean isJson(String mediaType) {
        return mediaType != null && (mediaType.equals("application/json") || mediaType.endsWith("+json"))
                && !mediaType.toLowerCase(Locale.ROOT).startsWith("application/cloudevents");
    }
}
