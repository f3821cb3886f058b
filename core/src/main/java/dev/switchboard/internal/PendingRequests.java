package dev.switchboard.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.RequestTimeoutException;
import dev.switchboard.SwitchboardException;
import dev.switchboard.protocol.Frame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Server→client requests awaiting a reply on one connection. Every entry has a timeout; an entry
 * leaves the map exactly once: on its reply, its timeout, or {@link #failAll} when the connection
 * closes, so no pending request outlives its connection.
 */
final class PendingRequests {
    private record Pending(String event, CompletableFuture<JsonNode> future, ScheduledFuture<?> timeout) { }

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final ScheduledExecutorService timer;

    PendingRequests(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /**
     * Registers a request and returns its wire id.
     *
     * @param onTimeout called with the event name when the request times out
     */
    String register(String event, CompletableFuture<JsonNode> future, Duration timeout, Consumer<String> onTimeout) {
        String id = "s-" + ids.incrementAndGet();
        ScheduledFuture<?> t = timer.schedule(() -> {
            Pending p = pending.remove(id);
            if (p != null) {
                onTimeout.accept(event);
                p.future.completeExceptionally(new RequestTimeoutException(
                        "no reply to request \"" + event + "\" within " + timeout.toMillis() + " ms"));
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        pending.put(id, new Pending(event, future, t));
        return id;
    }

    /** Forgets a request whose frame could not be sent. */
    void cancel(String id) {
        Pending p = pending.remove(id);
        if (p != null) {
            p.timeout.cancel(false);
        }
    }

    /** @return true if the reply matched a pending request */
    boolean complete(Frame.Reply reply) {
        JsonNode idNode = reply.id();
        String id = idNode instanceof TextNode ? idNode.asText() : idNode.toString();
        Pending p = pending.remove(id);
        if (p == null) {
            return false;
        }
        p.timeout.cancel(false);
        if (reply.error() != null) {
            p.future.completeExceptionally(reply.error().toException());
        } else {
            p.future.complete(reply.data() == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance()
                    : reply.data());
        }
        return true;
    }

    /** Fails every pending request, e.g. because the connection closed. */
    void failAll(SwitchboardException cause) {
        List<Pending> all = new ArrayList<>(pending.values());
        pending.clear();
        for (Pending p : all) {
            p.timeout.cancel(false);
            p.future.completeExceptionally(cause);
        }
    }

    int size() {
        return pending.size();
    }
}
