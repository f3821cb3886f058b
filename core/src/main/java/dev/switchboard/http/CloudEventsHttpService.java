package dev.switchboard.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.ErrorCode;
import dev.switchboard.Identity;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.cloudevents.CloudEventHandler;
import dev.switchboard.cloudevents.CloudEventJson;
import dev.switchboard.internal.CloudEventsWire;
import io.cloudevents.CloudEvent;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.jackson.JsonFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /events}: CloudEvents 1.0 over HTTP, read with the CloudEvents Java SDK, in all three
 * modes — binary ({@code ce-*} headers, the body is the data), structured
 * ({@code Content-Type: application/cloudevents+json}) and batch
 * ({@code application/cloudevents-batch+json}, a JSON array of structured events) — and handed to the
 * node's {@code onCloudEvent(type, …)} handler. A Knative or Kyma trigger pointed at it works as is.
 *
 * <table>
 * <caption>Answers</caption>
 * <tr><td>202</td><td>a handler took the event: {@code {"id":"…","accepted":true}}; for a batch
 *     {@code {"ids":[…],"accepted":true}} once every event was handled</td></tr>
 * <tr><td>400</td><td>a malformed event: no {@code specversion}, {@code id}, {@code source} or
 *     {@code type}, an unknown {@code specversion}, bad JSON; or a handler refusing with
 *     {@code bad_request}</td></tr>
 * <tr><td>401 / 403</td><td>refused by the {@link HttpAuthorizer} (by default everyone may post)</td></tr>
 * <tr><td>404</td><td>no handler for the event's type (for a batch: for one of its types; then no event
 *     of the batch is handled)</td></tr>
 * <tr><td>405 / 413 / 415</td><td>not POST / a body over {@link #maxBodyBytes()} / neither binary mode
 *     nor a CloudEvents JSON media type</td></tr>
 * <tr><td>4xx / 5xx</td><td>a handler's {@link SwitchboardException} by its code (409, 503, …); any other
 *     handler failure is logged and answered 500, so the sender retries</td></tr>
 * </table>
 *
 * <p>Handlers run on the calling thread, in batch order; the answer waits for them. Thread-safe.
 */
public final class CloudEventsHttpService implements HttpService {
    private static final Logger log = LoggerFactory.getLogger(CloudEventsHttpService.class);
    /** The media type of a structured event. */
    public static final String STRUCTURED = "application/cloudevents+json";
    /** The media type of a batch of structured events. */
    public static final String BATCH = "application/cloudevents-batch+json";

    private final Switchboard board;
    private final HttpAuthorizer authorizer;
    private final int maxBodyBytes;
    private final ObjectMapper mapper;
    private final JsonFormat format = new JsonFormat();

    private CloudEventsHttpService(Switchboard board, HttpAuthorizer authorizer, int maxBodyBytes) {
        this.board = Objects.requireNonNull(board, "board");
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive: " + maxBodyBytes);
        }
        this.maxBodyBytes = maxBodyBytes;
        this.mapper = board.mapper();
    }

    /**
     * @param board the node whose {@code onCloudEvent} handlers receive the events
     * @param authorizer who may post, e.g. {@link HttpAuthorizer#allowAll()} behind a trusted broker
     * @param maxBodyBytes the largest body accepted
     * @return the service
     */
    public static CloudEventsHttpService create(Switchboard board, HttpAuthorizer authorizer, int maxBodyBytes) {
        return new CloudEventsHttpService(board, authorizer, maxBodyBytes);
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

    /**
     * Events without the distributed-tracing extension take the request's W3C {@code traceparent} and
     * {@code tracestate} headers (what an instrumented broker or trigger sends), so their handlers run in that
     * trace.
     */
    private static List<CloudEvent> withHttpTraceContext(List<CloudEvent> events, HttpRequest request) {
        dev.switchboard.TraceContext trace = dev.switchboard.TraceContext.parse(request.header("traceparent"),
                request.header("tracestate")).orElse(null);
        if (trace == null) {
            return events;
        }
        List<CloudEvent> out = new ArrayList<>(events.size());
        for (CloudEvent e : events) {
            if (e.getExtension("traceparent") != null) {
                out.add(e);
                continue;
            }
            io.cloudevents.core.builder.CloudEventBuilder b = io.cloudevents.core.builder.CloudEventBuilder.from(e)
                    .withExtension("traceparent", trace.traceparent());
            if (trace.tracestate() != null) {
                b.withExtension("tracestate", trace.tracestate());
            }
            out.add(b.build());
        }
        return out;
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
        String media = request.mediaType();
        boolean batch = BATCH.equals(media);
        boolean structured = STRUCTURED.equals(media);
        boolean binary = !batch && !structured && hasCeHeaders(request);
        if (!batch && !structured && !binary) {
            return Problems.unsupportedMediaType(request, STRUCTURED + ", " + BATCH
                    + ", or any type with the ce-specversion, ce-id, ce-source and ce-type headers");
        }
        if (request.bodyTooLarge() || request.body().length > maxBodyBytes) {
            return Problems.tooLarge(maxBodyBytes);
        }
        List<CloudEvent> events;
        try {
            events = batch ? readBatch(request.body()) : List.of(readOne(request));
        } catch (RuntimeException e) {
            return HttpResponse.problem(400, ErrorCode.BAD_REQUEST,
                    "not a valid CloudEvent: " + CloudEventsWire.describe(e), null);
        }
        events = withHttpTraceContext(events, request);
        List<CloudEventHandler> handlers = new ArrayList<>(events.size());
        Set<String> unhandled = new LinkedHashSet<>();
        for (CloudEvent e : events) {
            CloudEventHandler h = board.cloudEventHandler(e.getType()).orElse(null);
            if (h == null) {
                unhandled.add(e.getType());
            }
            handlers.add(h);
        }
        if (!unhandled.isEmpty()) {
            return HttpResponse.problem(404, ErrorCode.NOT_FOUND, "no handler for event type "
                    + String.join(", ", unhandled), "type");
        }
        for (int i = 0; i < events.size(); i++) {
            CloudEvent e = events.get(i);
            try {
                handlers.get(i).handle(e);
            } catch (SwitchboardException se) {
                log.debug("CloudEvent {} ({}) refused: {}", e.getId(), e.getType(), se.getMessage());
                return HttpResponse.problem(HttpResponse.statusOf(se.code()), se.code(), se.getMessage(), null);
            } catch (Exception ex) {
                log.error("Handler for CloudEvent type \"{}\" failed on event {}", e.getType(), e.getId(), ex);
                return HttpResponse.problem(500, ErrorCode.INTERNAL, "internal error", null);
            }
        }
        ObjectNode body = mapper.createObjectNode();
        if (batch) {
            ArrayNode ids = body.putArray("ids");
            events.forEach(e -> ids.add(e.getId()));
        } else {
            body.put("id", events.get(0).getId());
        }
        body.put("accepted", true);
        return HttpResponse.json(202, body);
    }

    private CloudEvent readOne(HttpRequest request) {
        if (!STRUCTURED.equals(request.mediaType()) && request.header("ce-specversion") == null) {
            throw new IllegalArgumentException("the ce-specversion header is missing (binary mode)");
        }
        CloudEvent event = HttpMessageFactory.createReaderFromMultimap(request.headers(), request.body()).toEvent();
        return CloudEventJson.validated(event, mapper);
    }

    private List<CloudEvent> readBatch(byte[] body) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed JSON");
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException("a batch must be a JSON array of events");
        }
        List<CloudEvent> out = new ArrayList<>(root.size());
        int i = 0;
        for (JsonNode element : root) {
            try {
                out.add(CloudEventJson.validated(format.deserialize(mapper.writeValueAsBytes(element)), mapper));
            } catch (JsonProcessingException | RuntimeException e) {
                throw new IllegalArgumentException("event " + i + " of the batch: " + CloudEventsWire.describe(e), e);
            }
            i++;
        }
        return out;
    }

    private static boolean hasCeHeaders(HttpRequest request) {
        for (String name : request.headers().keySet()) {
            if (name.regionMatches(true, 0, "ce-", 0, 3)) {
                return true;
            }
        }
        return false;
    }
}
