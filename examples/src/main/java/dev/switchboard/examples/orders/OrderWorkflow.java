package dev.switchboard.examples.orders;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.Audience;
import dev.switchboard.EventMetadata;
import dev.switchboard.Switchboard;
import dev.switchboard.emit.EmitMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's step-function workflow, simulated: reserve stock, take payment (declined for a
 * configurable share of orders), ship — one step per delay. Every status is pushed as event
 * {@code order.status} (data: the whole order) to the order's topic {@code orders:<id>}, a last-value
 * durable topic, so a client that subscribes after the result still gets it. The final outcome also
 * lands in the owner's notification drawer, through the node's emit service — the same path as
 * {@code POST /api/emit}.
 */
final class OrderWorkflow implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OrderWorkflow.class);
    /** The event every status change is pushed as. */
    static final String STATUS_EVENT = "order.status";

    private final Switchboard board;
    private final Orders orders;
    private final OrdersOptions options;
    private final Clock clock;
    private final ScheduledExecutorService steps = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "orders-workflow");
        t.setDaemon(true);
        return t;
    });

    OrderWorkflow(Switchboard board, Orders orders, OrdersOptions options, Clock clock) {
        this.board = board;
        this.orders = orders;
        this.options = options;
        this.clock = clock;
    }

    static String topic(String orderId) {
        return "orders:" + orderId;
    }

    /** Publishes the new order's first status and schedules its steps. */
    void start(ObjectNode order) {
        String id = order.path("id").asText();
        push(order);
        later(() -> step(id, "stock_reserved", null));
    }

    private void step(String id, String status, String failure) {
        ObjectNode order = orders.advance(id, status, failure);
        push(order);
        switch (status) {
            case "stock_reserved" -> later(() -> {
                boolean declined = ThreadLocalRandom.current().nextDouble() < options.failureRate();
                if (declined) {
                    step(id, "failed", "Payment declined by the card issuer");
                } else {
                    step(id, "paid", null);
                }
            });
            case "paid" -> later(() -> step(id, "shipped", null));
            default -> notifyOwner(order);
        }
    }

    private void push(ObjectNode order) {
        String id = order.path("id").asText();
        String status = order.path("status").asText();
        board.to(Audience.topic(topic(id))).emit(STATUS_EVENT, order,
                EventMetadata.id("order-" + id + "-" + status).withSource("/orders").withTime(clock.instant()));
    }

    /** The final outcome, in the owner's notification drawer. */
    private void notifyOwner(ObjectNode order) {
        String id = order.path("id").asText();
        boolean shipped = "shipped".equals(order.path("status").asText());
        ObjectNode payload = board.mapper().createObjectNode()
                .put("title", shipped ? "Order " + id + " shipped" : "Order " + id + " failed")
                .put("description", shipped
                        ? order.path("quantity").asInt() + " × " + order.path("productName").asText() + " are on their way."
                        : order.path("failure").asText())
                .put("level", shipped ? "success" : "error")
                .put("orderId", id);
        board.emitService().accept(EmitMessage.builder("notifications.drawer")
                .id("order-" + id + "-" + order.path("status").asText() + "-notice")
                .users(order.path("owner").asText())
                .payload(payload)
                .build());
    }

    private void later(Runnable step) {
        steps.schedule(() -> {
            try {
                step.run();
            } catch (RuntimeException e) {
                log.error("Order workflow step failed", e);
            }
        }, options.stepDelay().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @return how long one step takes */
    Duration stepDelay() {
        return options.stepDelay();
    }

    @Override
    public void close() {
        steps.shutdownNow();
    }
}
