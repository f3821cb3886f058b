package dev.switchboard.examples.orders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.ErrorCode;
import dev.switchboard.Identity;
import dev.switchboard.http.HttpRequest;
import dev.switchboard.http.HttpResponse;
import dev.switchboard.http.HttpService;
import dev.switchboard.spi.AuthenticationException;
import java.util.UUID;

/**
 * The shop's REST API, mounted next to the socket at {@code /api/*} (a transport-neutral
 * {@link HttpService}):
 *
 * <ul>
 *   <li>{@code POST /api/orders} {@code {"productId","quantity"}} → {@code 202 {"orderId","messageId",
 *       "wsUrl","topic"}} at once; the workflow then pushes each status to the topic;</li>
 *   <li>{@code GET /api/orders} (the caller's orders, newest first; {@code ?messageId=} for one) and
 *       {@code GET /api/orders/{id}} (only the owner's): the polling fallback;</li>
 *   <li>{@code GET /api/products}, {@code GET /api/users}: what the page offers.</li>
 * </ul>
 *
 * <p>Callers are the demo users ({@link DemoUsers}); errors are RFC 9457 problems.
 */
final class OrdersApi implements HttpService {
    private static final String ORDERS = "/api/orders";

    private final DemoUsers users;
    private final Orders orders;
    private final OrderWorkflow workflow;
    private final Catalog catalog;
    private final ObjectMapper mapper;
    private final String wsPath;

    OrdersApi(DemoUsers users, Orders orders, OrderWorkflow workflow, Catalog catalog, ObjectMapper mapper,
              String wsPath) {
        this.users = users;
        this.orders = orders;
        this.workflow = workflow;
        this.catalog = catalog;
        this.mapper = mapper;
        this.wsPath = wsPath;
    }

    @Override
    public int maxBodyBytes() {
        return 4096;
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        String path = request.path();
        if (path.equals("/api/products")) {
            return get(request) ? products() : notAllowed("GET");
        }
        if (path.equals("/api/users")) {
            return get(request) ? HttpResponse.json(200, mapper.valueToTree(DemoUsers.describe())) : notAllowed("GET");
        }
        Identity caller;
        try {
            caller = users.identify(request);
        } catch (AuthenticationException e) {
            return HttpResponse.problem(401, ErrorCode.UNAUTHORIZED, e.getMessage(), null)
                    .withHeader("WWW-Authenticate", "Bearer");
        }
        if (path.equals(ORDERS) || path.equals(ORDERS + "/")) {
            return switch (request.method()) {
                case "POST" -> place(request, caller);
                case "GET" -> list(request, caller);
                default -> notAllowed("GET, POST");
            };
        }
        if (path.startsWith(ORDERS + "/")) {
            if (!get(request)) {
                return notAllowed("GET");
            }
            String id = path.substring(ORDERS.length() + 1);
            // Someone else's order is as unknown as a missing one: no probing for ids.
            return orders.get(id).filter(o -> caller.userId().equals(o.path("owner").asText()))
                    .map(o -> HttpResponse.json(200, o))
                    .orElseGet(() -> HttpResponse.problem(404, ErrorCode.NOT_FOUND, "no order " + id, null));
        }
        return HttpResponse.problem(404, ErrorCode.NOT_FOUND, "no such resource: " + path, null);
    }

    private HttpResponse place(HttpRequest request, Identity caller) {
        String media = request.mediaType();
        if (media == null || !media.equals("application/json")) {
            return HttpResponse.problem(415, ErrorCode.BAD_REQUEST, "send Content-Type: application/json", null)
                    .withHeader("Accept-Post", "application/json");
        }
        if (request.bodyTooLarge()) {
            return HttpResponse.problem(413, ErrorCode.TOO_LARGE, "the body exceeds " + maxBodyBytes() + " bytes", null);
        }
        JsonNode body;
        try {
            body = mapper.readTree(request.body());
        } catch (java.io.IOException e) {
            return HttpResponse.problem(400, ErrorCode.BAD_REQUEST, "the body is not valid JSON", null);
        }
        if (body == null || !body.isObject()) {
            return HttpResponse.problem(400, ErrorCode.BAD_REQUEST, "the body must be a JSON object", null);
        }
        Catalog.Product product = catalog.product(body.path("productId").asText("")).orElse(null);
        if (product == null) {
            return HttpResponse.problem(400, ErrorCode.BAD_REQUEST, "\"productId\" must name a product of "
                    + "GET /api/products", "productId");
        }
        JsonNode q = body.path("quantity");
        if (!q.isIntegralNumber() || q.asInt() < 1 || q.asInt() > 10) {
            return HttpResponse.problem(400, ErrorCode.BAD_REQUEST, "\"quantity\" must be a whole number from 1 to 10",
                    "quantity");
        }
        String messageId = UUID.randomUUID().toString();
        ObjectNode order = orders.create(caller.userId(), messageId, product, q.asInt());
        String id = order.path("id").asText();
        workflow.start(order);
        ObjectNode accepted = mapper.createObjectNode()
                .put("orderId", id)
                .put("messageId", messageId)
                .put("wsUrl", wsUrl(request))
                .put("topic", OrderWorkflow.topic(id));
        return HttpResponse.json(202, accepted).withHeader("Location", ORDERS + "/" + id);
    }

    private HttpResponse list(HttpRequest request, Identity caller) {
        ArrayNode out = mapper.createArrayNode();
        orders.of(caller.userId(), request.queryParam("messageId")).forEach(out::add);
        return HttpResponse.json(200, out);
    }

    private HttpResponse products() {
        ArrayNode out = mapper.createArrayNode();
        for (Catalog.Product p : catalog.products()) {
            out.addObject().put("id", p.id()).put("name", p.name()).put("price", p.price())
                    .put("currency", Catalog.CURRENCY);
        }
        return HttpResponse.json(200, out);
    }

    /** The socket's URL as the caller reached this server (behind a proxy: its forwarded host and scheme). */
    private String wsUrl(HttpRequest request) {
        String host = request.header("X-Forwarded-Host") != null ? request.header("X-Forwarded-Host")
                : request.header("Host");
        boolean tls = "https".equalsIgnoreCase(request.header("X-Forwarded-Proto"));
        return (tls ? "wss://" : "ws://") + (host == null ? "localhost" : host) + wsPath;
    }

    private static boolean get(HttpRequest request) {
        return request.method().equals("GET");
    }

    private static HttpResponse notAllowed(String allow) {
        return HttpResponse.problem(405, ErrorCode.BAD_REQUEST, "use " + allow, null).withHeader("Allow", allow);
    }
}
