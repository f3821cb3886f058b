package dev.switchboard.examples.orders;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.crud.Page;
import dev.switchboard.crud.Query;
import dev.switchboard.crud.Repository;
import dev.switchboard.crud.SortField;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The orders, kept in a {@link Repository} (in memory by default; Postgres or MongoDB with
 * {@code -Drepository=…}, so every node of a cluster sees the same orders). An order is a JSON object:
 * {@code id, owner, messageId, productId, productName, quantity, status, failure, steps[{status, at}],
 * createdAt, updatedAt, version}.
 */
final class Orders {
    /** Where an order stands; the workflow moves it forward, {@code shipped} and {@code failed} are final. */
    static final List<String> STATUSES = List.of("received", "stock_reserved", "paid", "shipped", "failed");

    private final Repository repository;
    private final ObjectMapper mapper;
    private final Clock clock;

    Orders(Repository repository, ObjectMapper mapper, Clock clock) {
        this.repository = repository;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** Stores a new order in status {@code received}. */
    ObjectNode create(String owner, String messageId, Catalog.Product product, int quantity) {
        String now = clock.instant().toString();
        ObjectNode order = mapper.createObjectNode();
        order.put("owner", owner);
        order.put("messageId", messageId);
        order.put("productId", product.id());
        order.put("productName", product.name());
        order.put("quantity", quantity);
        order.put("status", "received");
        order.putNull("failure");
        order.putArray("steps").addObject().put("status", "received").put("at", now);
        order.put("createdAt", now);
        order.put("updatedAt", now);
        return repository.create(order);
    }

    /** Moves an order to {@code status} (with a reason when it failed) and stores it. */
    ObjectNode advance(String id, String status, String failure) {
        ObjectNode order = get(id).orElseThrow(() -> new IllegalStateException("order " + id + " is gone"));
        String now = clock.instant().toString();
        order.put("status", status);
        if (failure != null) {
            order.put("failure", failure);
        }
        order.withArray("steps").addObject().put("status", status).put("at", now);
        order.put("updatedAt", now);
        return repository.replace(id, order, order.path("version").asLong());
    }

    Optional<ObjectNode> get(String id) {
        return repository.get(id);
    }

    /** @return the owner's orders, newest first (at most 50), optionally only the one with a message id */
    List<ObjectNode> of(String owner, String messageId) {
        Map<String, com.fasterxml.jackson.databind.JsonNode> filters = messageId == null
                ? Map.of("owner", TextNode.valueOf(owner))
                : Map.of("owner", TextNode.valueOf(owner), "messageId", TextNode.valueOf(messageId));
        Page page = repository.list(new Query(1, 50, List.of(new SortField("createdAt", true)), filters));
        return page.items();
    }

    /** @return whether {@code user} owns the order (false for an unknown order) */
    boolean owns(String user, String id) {
        return user != null && get(id).map(o -> user.equals(o.path("owner").asText())).orElse(false);
    }
}
