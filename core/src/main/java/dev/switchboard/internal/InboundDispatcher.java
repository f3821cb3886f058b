package dev.switchboard.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.CloseCodes;
import dev.switchboard.Connection;
import dev.switchboard.ErrorCode;
import dev.switchboard.Interceptor;
import dev.switchboard.Retention;
import dev.switchboard.StreamPosition;
import dev.switchboard.SwitchboardException;
import dev.switchboard.protocol.Frame;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.protocol.WireError;
import dev.switchboard.spi.EncodedFrame;
import dev.switchboard.spi.Tracing;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one connection's inbound text into work: checks size and rate on the transport's thread
 * (cheap), decodes, then runs handlers on the node's executor. Emits, subscribes and unsubscribes
 * run in arrival order on the connection's serial executor; requests run concurrently, each bounded
 * by the node's request timeout so a handler that never answers cannot pin memory.
 *
 * <p>A client past its rate limit is refused in order: the frames it sent before the limit are still
 * handled and every request among them is answered, then it gets one {@code rate_limited} error and
 * the connection is closed with 1008. Frames after the limit are dropped unread.
 */
final class InboundDispatcher implements Inbound {
    private static final Logger log = LoggerFactory.getLogger(InboundDispatcher.class);

    private final DefaultConnection conn;
    private final DefaultSwitchboard node;
    private final RateLimiter rateLimiter;
    private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
    /** Frames accepted but not yet handled (requests until their reply is queued). */
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicBoolean refused = new AtomicBoolean();
    private volatile boolean rateLimited;

    InboundDispatcher(DefaultConnection conn, DefaultSwitchboard node) {
        this.conn = conn;
        this.node = node;
        int limit = node.options().rateLimit();
        this.rateLimiter = limit == 0 ? null : new RateLimiter(limit, node.clock().millis());
    }

    @Override
    public void onText(String text) {
        int max = node.options().maxFrameBytes();
        // Only count bytes when the text could be too large: a char is at most 3 UTF-8 bytes.
        if (text.length() > max / 3 && text.getBytes(StandardCharsets.UTF_8).length > max) {
            node.listener().badFrame(conn, "too large");
            conn.terminate(CloseCodes.TOO_BIG, "frame exceeds " + max + " bytes");
            return;
        }
        if (rateLimited) {
            return; // past the limit: nothing more is read from this client
        }
        if (rateLimiter != null && !rateLimiter.tryAcquire(node.clock().millis())) {
            rateLimited = true;
            node.listener().badFrame(conn, "rate limited");
            // Answer what was accepted before the limit first; a handler that never finishes cannot
            // hold the refusal back longer than the request timeout.
            node.timer().schedule(this::refuseFlood, node.options().requestTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
            if (outstanding.get() == 0) {
                refuseFlood();
            }
            return;
        }
        Frame frame;
        try {
            CloudEventsWire cloudEvents = conn.cloudEvents();
            frame = cloudEvents != null ? cloudEvents.decode(text) : node.codec().decode(text);
        } catch (ProtocolException e) {
            node.listener().badFrame(conn, e.getMessage());
            if (e.requestId() != null) {
                reply(e.requestId(), null, WireError.of(e.code(), e.getMessage()));
            } else {
                sendError(WireError.of(e.code(), e.getMessage()));
            }
            return;
        }
        dispatch(frame);
    }

    @Override
    public void onBinary(int size) {
        node.listener().badFrame(conn, "binary");
        sendError(WireError.of(ErrorCode.BAD_REQUEST,
                "binary frames are not supported: send JSON text frames (protocol switchboard.v1)"));
    }

    /** Sends the one {@code rate_limited} error and closes with 1008, once. */
    private void refuseFlood() {
        if (!refused.compareAndSet(false, true)) {
            return;
        }
        sendError(WireError.of(ErrorCode.RATE_LIMITED, "more than " + node.options().rateLimit() + " frames per second"));
        conn.close(CloseCodes.POLICY_VIOLATION, "rate limit exceeded");
    }

    /** One accepted frame is handled; the last one lets a pending rate-limit refusal go out. */
    private void done() {
        if (outstanding.decrementAndGet() == 0 && rateLimited) {
            refuseFlood();
        }
    }

    /** Cancels client requests still being handled, so their results are dropped, not leaked. */
    @Override
    public void cancelInFlight() {
        for (CompletableFuture<?> f : inFlight) {
            f.cancel(false);
        }
        inFlight.clear();
    }

    @Override
    public int inFlight() {
        return outstanding.get();
    }

    private void dispatch(Frame frame) {
        if (frame instanceof Frame.Pong) {
            return; // lastSeen is already updated
        }
        if (frame instanceof Frame.Ping) {
            conn.send(EncodedFrame.ofBytes(node.codec().encode(new Frame.Pong())));
        } else if (frame instanceof Frame.Reply r) {
            if (!conn.pending().complete(r)) {
                log.debug("Reply {} on {} matches no pending request (late or unknown)", r.id(), conn.id());
            }
        } else if (frame instanceof Frame.Emit e) {
            serial(() -> handleEmit(e));
        } else if (frame instanceof Frame.Request r) {
            handleRequest(r);
        } else if (frame instanceof Frame.Subscribe s) {
            serial(() -> handleSubscribe(s));
        } else if (frame instanceof Frame.Auth a) {
            serial(() -> handleAuth(a));
        } else if (frame instanceof Frame.Unsubscribe u) {
            serial(() -> {
                boolean was = conn.topicSet().contains(u.topic());
                conn.leave(u.topic());
                ObjectNode data = node.mapper().createObjectNode();
                data.put("topic", u.topic());
                data.put("unsubscribed", was);
                reply(u.id(), data, null);
            });
        } else {
            sendError(WireError.of(ErrorCode.BAD_REQUEST, "a client may not send " + WireError.quote(frame.type()) + " frames"));
        }
    }

    private void serial(Runnable task) {
        outstanding.incrementAndGet();
        try {
            conn.inboundExecutor().execute(() -> {
                try {
                    task.run();
                } finally {
                    done();
                }
            });
        } catch (RejectedExecutionException e) {
            sendError(WireError.of(ErrorCode.UNAVAILABLE, "server is busy"));
            done();
        }
    }

    private void handleEmit(Frame.Emit e) {
        Handler<?> handler = node.eventHandler(e.event());
        if (handler == null) {
            sendError(WireError.of(ErrorCode.UNKNOWN_EVENT, "no handler for event " + WireError.quote(e.event())));
            return;
        }
        try (TraceScope scope = TraceScope.open(node.tracing(), Tracing.Kind.EMIT_HANDLER, e.event(), e.trace())) {
            try {
                intercept("emit", e.event(), e.data());
                handler.invokeEmit(conn, e.data());
            } catch (Throwable t) {
                scope.failed(t);
                sendError(toWireError(e.event(), t));
            }
        }
    }

    private void handleRequest(Frame.Request r) {
        Handler<?> handler = node.requestHandler(r.event());
        if (handler == null) {
            reply(r.id(), null, WireError.of(ErrorCode.UNKNOWN_EVENT, "no handler for request " + WireError.quote(r.event())));
            return;
        }
        outstanding.incrementAndGet();
        if (handler.inline()) {
            // The common fast path: a non-blocking handler that answers at once is answered here, on
            // the thread that read the request, with no future, no timeout and no hand-off.
            Object value;
            try (TraceScope scope = TraceScope.open(node.tracing(), Tracing.Kind.REQUEST_HANDLER, r.event(), r.trace())) {
                try {
                    intercept("request", r.event(), r.data());
                    value = handler.invokeRequest(conn, r.data());
                } catch (Throwable t) {
                    scope.failed(t);
                    answerNow(r, null, t);
                    return;
                }
            }
            if (!(value instanceof CompletionStage<?> stage)) {
                answerNow(r, value, null);
                return;
            }
            CompletableFuture<Object> result = new CompletableFuture<>();
            stage.whenComplete((v, f) -> complete(result, v, f));
            awaitAnswer(r, result);
            return;
        }
        CompletableFuture<Object> result = new CompletableFuture<>();
        Runnable task = () -> {
            try (TraceScope scope = TraceScope.open(node.tracing(), Tracing.Kind.REQUEST_HANDLER, r.event(), r.trace())) {
                try {
                    intercept("request", r.event(), r.data());
                    Object value = handler.invokeRequest(conn, r.data());
                    if (value instanceof CompletionStage<?> stage) {
                        stage.whenComplete((v, f) -> complete(result, v, f));
                    } else {
                        result.complete(value);
                    }
                } catch (Throwable t) {
                    scope.failed(t);
                    result.completeExceptionally(t);
                }
            }
        };
        awaitAnswer(r, result);
        try {
            conn.pooledExecutor().execute(task);
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new SwitchboardException(ErrorCode.UNAVAILABLE, "server is busy"));
        }
    }

    private static void complete(CompletableFuture<Object> result, Object value, Throwable failure) {
        if (failure != null) {
            result.completeExceptionally(failure);
        } else {
            result.complete(value);
        }
    }

    /** Replies at once and counts the request as answered. */
    private void answerNow(Frame.Request r, Object value, Throwable failure) {
        try {
            answer(r, value, failure);
        } finally {
            done();
        }
    }

    /**
     * Replies when {@code result} completes: bounded by the node's request timeout, and cancelled
     * (its result dropped, not leaked) if the connection closes first.
     */
    private void awaitAnswer(Frame.Request r, CompletableFuture<Object> result) {
        if (!result.isDone()) {
            inFlight.add(result);
            result.orTimeout(node.options().requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        result.whenComplete((value, failure) -> {
            inFlight.remove(result);
            answerNow(r, value, failure);
        });
    }

    private void answer(Frame.Request r, Object value, Throwable failure) {
        if (failure instanceof java.util.concurrent.CancellationException) {
            return; // the connection closed
        }
        if (failure != null) {
            reply(r.id(), null, toWireError(r.event(), failure));
            return;
        }
        JsonNode data;
        try {
            data = node.codec().toTree(value);
        } catch (IllegalArgumentException ex) {
            reply(r.id(), null, toWireError(r.event(), ex));
            return;
        }
        reply(r.id(), data, null);
    }

    /** A fresh token for this connection: same user, new expiry (and roles); the token is never logged. */
    private void handleAuth(Frame.Auth a) {
        try {
            Long left = node.refresh(conn, a.token());
            ObjectNode data = node.mapper().createObjectNode();
            if (left == null) {
                data.putNull("expiresInMs");
            } else {
                data.put("expiresInMs", left);
            }
            reply(a.id(), data, null);
        } catch (Throwable t) {
            reply(a.id(), null, toWireError("auth", t));
        }
    }

    private void handleSubscribe(Frame.Subscribe s) {
        try {
            intercept("subscribe", s.topic(), s.since());
            if (!node.subscriptionPolicy().canSubscribe(conn, s.topic())) {
                reply(s.id(), null, WireError.of(ErrorCode.FORBIDDEN, "not allowed to subscribe to " + WireError.quote(s.topic())));
                return;
            }
            Retention retention = node.durable().retention(s.topic());
            if (retention != null) {
                subscribeDurable(s, retention, since(s.since()));
                return;
            }
            conn.join(s.topic());
            reply(s.id(), subscribed(s.topic(), null, false), null);
        } catch (Throwable t) {
            reply(s.id(), null, toWireError("subscribe", t));
        }
    }

    /**
     * Joins a durable topic and sends, in this order and with nothing in between: the reply, the
     * messages missed since {@code since} (or a last-value topic's latest message), then the live
     * messages that arrived meanwhile, skipping any the client already has.
     */
    private void subscribeDurable(Frame.Subscribe s, Retention retention, StreamPosition since) {
        String topic = s.topic();
        DurableCursors cursors = conn.cursors();
        cursors.beginRecovery(topic);
        conn.join(topic);
        outstanding.incrementAndGet(); // the reply follows the recovery, after this serial task ends
        node.durable().recover(topic, retention, since).whenComplete((recovery, failure) -> {
            try {
                finishSubscribe(s, cursors, recovery, failure);
            } finally {
                done();
            }
        });
    }

    private void finishSubscribe(Frame.Subscribe s, DurableCursors cursors, DurableTopics.Recovery recovery,
                                 Throwable failure) {
        String topic = s.topic();
        List<EncodedFrame> frames = new ArrayList<>();
        if (failure != null) {
            log.warn("Cannot read the history of {} for {}: {}", WireError.quote(topic), conn.id(), failure.toString());
            frames.add(replyFrame(s.id(), subscribed(topic, null, false), null));
            cursors.finishRecovery(topic, null, 0, frames);
            return;
        }
        frames.add(replyFrame(s.id(), subscribed(topic, recovery.position(), recovery.recovered()), null));
        frames.addAll(recovery.frames());
        cursors.finishRecovery(topic, recovery.position().epoch(), recovery.position().offset(), frames);
    }

    private ObjectNode subscribed(String topic, StreamPosition position, boolean recovered) {
        ObjectNode data = node.mapper().createObjectNode();
        data.put("topic", topic);
        if (position == null) {
            data.putNull("epoch");
            data.putNull("offset");
        } else {
            data.put("epoch", position.epoch());
            data.put("offset", position.offset());
        }
        data.put("recovered", recovered);
        return data;
    }

    /** @return the {@code since} of a subscribe, or null when absent */
    private static StreamPosition since(JsonNode since) {
        if (since == null || since.isNull() || since.isMissingNode()) {
            return null;
        }
        if (!since.isObject() || !since.path("offset").canConvertToLong() || since.path("offset").asLong() < 0) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST,
                    "\"since\" must be {\"offset\": <number >= 0>, \"epoch\": <string>}");
        }
        return new StreamPosition(since.path("epoch").asText(""), since.path("offset").asLong());
    }

    private void intercept(String kind, String event, JsonNode data) {
        for (Interceptor i : node.interceptors()) {
            i.intercept(conn, new Interceptor.Inbound(kind, event, data == null ? NullNode.getInstance() : data));
        }
    }

    private WireError toWireError(String event, Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (cause instanceof SwitchboardException se) {
            return WireError.of(se.code(), se.getMessage() == null ? se.code().wire() : se.getMessage());
        }
        if (cause instanceof TimeoutException) {
            return WireError.of(ErrorCode.TIMEOUT, "handler for " + WireError.quote(event) + " did not answer in time");
        }
        log.error("Handler for \"{}\" failed on {}", event, conn.id(), cause);
        return WireError.of(ErrorCode.INTERNAL, "internal error");
    }

    private void reply(JsonNode id, JsonNode data, WireError error) {
        conn.send(replyFrame(id, data, error));
    }

    /** A reply that could never fit the connection's outbound bound is answered with {@code too_large}. */
    private EncodedFrame replyFrame(JsonNode id, JsonNode data, WireError error) {
        byte[] bytes = node.codec().encode(new Frame.Reply(id, data, error));
        long max = node.options().maxQueuedBytes();
        if (bytes.length > max) {
            bytes = node.codec().encode(new Frame.Reply(id, null, WireError.of(ErrorCode.TOO_LARGE,
                    "the reply is " + bytes.length + " bytes, more than this connection's limit of " + max
                            + " (ask for less, e.g. a smaller page)")));
        }
        return EncodedFrame.ofBytes(bytes);
    }

    private void sendError(WireError error) {
        conn.send(EncodedFrame.ofBytes(node.codec().encode(new Frame.Error(error))));
    }

    /** For interceptors' sake the connection type is the public one. */
    Connection connection() {
        return conn;
    }
}
