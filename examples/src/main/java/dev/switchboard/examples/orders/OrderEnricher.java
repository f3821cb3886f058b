package dev.switchboard.examples.orders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.Audience;
import dev.switchboard.ErrorCode;
import dev.switchboard.EventMetadata;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.cloudevents.CloudEventHandler;
import dev.switchboard.cloudevents.CloudEventJson;
import io.cloudevents.CloudEvent;
import java.math.BigDecimal;

/**
 * Seed 000's extension: the commerce system's {@code order.created} CloudEvent (e.g. from a Knative
 * or Kyma trigger on {@code POST /events}) is enriched with the customer's and the products' details
 * from the {@link Catalog} and pushed, as {@code order.enriched}, to the customer's open pages — on
 * whichever node they are connected.
 *
 * <pre>{@code
 * data: {"orderCode":"76272727","customerId":"alice","entries":[{"productId":"p-beans","quantity":2}]}
 * }</pre>
 *
 * <p>An event naming an unknown customer or product, or without entries, is refused with 400 (the sender
 * should not retry it).
 */
final class OrderEnricher implements CloudEventHandler {
    /** The event type this handles. */
    static final String TYPE = "order.created";
    /** The event pushed to the customer. */
    static final String ENRICHED = "order.enriched";

    private final Switchboard board;
    private final Catalog catalog;
    private final ObjectMapper mapper;

    OrderEnricher(Switchboard board, Catalog catalog) {
        this.board = board;
        this.catalog = catalog;
        this.mapper = board.mapper();
    }

    @Override
    public void handle(CloudEvent event) {
        JsonNode data = CloudEventJson.data(event, mapper);
        String customerId = data.path("customerId").asText("");
        Catalog.Customer customer = catalog.customer(customerId)
                .orElseThrow(() -> refuse("\"customerId\" names no known customer: " + customerId));
        JsonNode entries = data.path("entries");
        if (!entries.isArray() || entries.isEmpty()) {
            throw refuse("\"entries\" must list the ordered products");
        }
        ObjectNode enriched = mapper.createObjectNode();
        enriched.put("orderCode", data.path("orderCode").asText(event.getId()));
        enriched.put("eventId", event.getId());
        enriched.put("source", event.getSource().toString());
        enriched.putObject("customer").put("id", customer.id()).put("name", customer.name())
                .put("email", customer.email()).put("tier", customer.tier());
        ArrayNode lines = enriched.putArray("entries");
        BigDecimal total = BigDecimal.ZERO;
        for (JsonNode e : entries) {
            Catalog.Product p = catalog.product(e.path("productId").asText(""))
                    .orElseThrow(() -> refuse("unknown product " + e.path("productId")));
            int quantity = Math.max(1, e.path("quantity").asInt(1));
            BigDecimal line = p.price().multiply(BigDecimal.valueOf(quantity));
            total = total.add(line);
            lines.addObject().put("productId", p.id()).put("name", p.name()).put("unitPrice", p.price())
                    .put("quantity", quantity).put("lineTotal", line);
        }
        enriched.put("total", total);
        enriched.put("currency", Catalog.CURRENCY);
        // The CloudEvent's own id, source and time travel on: a page can tell a redelivery apart.
        EventMetadata origin = EventMetadata.id(event.getId()).withSource(event.getSource().toString())
                .withTime(event.getTime() == null ? null : event.getTime().toInstant());
        board.to(Audience.user(customer.id())).emit(ENRICHED, enriched, origin);
    }

    private static SwitchboardException refuse(String message) {
        return new SwitchboardException(ErrorCode.BAD_REQUEST, message);
    }
}
