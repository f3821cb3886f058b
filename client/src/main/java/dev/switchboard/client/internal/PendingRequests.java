package dev.switchboard.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.switchboard.RequestTimeoutException;
import dev.switchboard.SwitchboardException;
import dev.switchboard.protocol.Frame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The client's requests that await a reply, by id. Every request gets a timer when it is registered;
 * whichever comes first — the reply, the timer, or a failure of its connection — completes it, and the
 * others find it gone. Futures complete on the thread that decides them (I/O or timer thread); the
 * client relays them to the callback executor. Thread-safe.
 */
public final class PendingRequests {
    private final Scheduler scheduler;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();

    /** @param scheduler runs the timeouts */
    public PendingRequests(Scheduler scheduler) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /**
     * Registers a request and starts its timer.
     *
     * @param event the event name, for messages
     * @param timeout how long to wait for the reply
     * @return the pending request, with a fresh id
     */
    public Pending register(String event, Duration timeout) {
        Pending p = new Pending(ids.incrementAndGet(), event);
        pending.put(p.id, p);
        p.timer = scheduler.schedule(timeout, () -> fail(p.id, () -> new RequestTimeoutException(
                "request \"" + event + "\" (id " + p.id + ") got no reply within " + timeout.toMillis() + " ms")));
        // a reply that raced the scheduling of the timer already removed the entry
        if (p.future.isDone()) {
            p.timer.cancel();
        }
        return p;
    }

    /**
     * Completes the request a reply answers: with its data, or exceptionally with the error it carries.
     *
     * @param reply a reply frame from the server
     * @return false when no request with that id is pending (late reply after a timeout, or unknown id)
     */
    public boolean complete(Frame.Reply reply) {
        JsonNode id = reply.id();
        if (!id.canConvertToLong()) {
            return false;
        }
        Pending p = pending.remove(id.asLong());
        if (p == null) {
            return false;
        }
        p.timer.cancel();
        if (reply.isError()) {
            p.future.completeExceptionally(reply.error().toException());
        } else {
            p.future.complete(reply.data() == null ? NullNode.getInstance() : reply.data());
        }
        return true;
    }

    /**
     * Fails one request, if it is still pending.
     *
     * @param id the request id
     * @param error makes the failure
     * @return true if the request was pending
     */
    public boolean fail(long id, Supplier<? extends SwitchboardException> error) {
        Pending p = pending.remove(id);
        if (p == null) {
            return false;
        }
        p.timer.cancel();
        p.future.completeExceptionally(error.get());
        return true;
    }

    /**
     * Fails every request that was written to a given connection (its reply can no longer arrive).
     *
     * @param channel the connection, as passed to {@link Pending#sentOn(Object)}
     * @param error makes the failure, once per request
     * @return how many requests failed
     */
    public int failSentOn(Object channel, Supplier<? extends SwitchboardException> error) {
        int n = 0;
        for (Pending p : new ArrayList<>(pending.values())) {
            if (p.channel == channel && fail(p.id, error)) {
                n++;
            }
        }
        return n;
    }

    /**
     * Fails every pending request.
     *
     * @param error makes the failure, once per request
     * @return how many requests failed
     */
    public int failAll(Supplier<? extends SwitchboardException> error) {
        List<Long> all = new ArrayList<>(pending.keySet());
        int n = 0;
        for (Long id : all) {
            if (fail(id, error)) {
                n++;
            }
        }
        return n;
    }

    /** @return how many requests await a reply */
    public int size() {
        return pending.size();
    }

    /** One request awaiting its reply. */
    public static final class Pending {
        private final long id;
        private final String event;
        private final CompletableFuture<JsonNode> future = new CompletableFuture<>();
        private volatile Scheduler.Cancellable timer = Scheduler.Cancellable.NONE;
        private volatile Object channel;

        private Pending(long id, String event) {
            this.id = id;
            this.event = event;
        }

        /** @return the request id */
        public long id() {
            return id;
        }

        /** @return the id as it goes on the wire */
        public JsonNode idNode() {
            return LongNode.valueOf(id);
        }

        /** @return the event name */
        public String event() {
            return event;
        }

        /**
         * @return the reply data; completes on the deciding thread, exceptionally with a
         *     {@link SwitchboardException}
         */
        public CompletableFuture<JsonNode> future() {
            return future;
        }

        /** @param channel the connection the request was written to */
        public void sentOn(Object channel) {
            this.channel = channel;
        }
    }
}
