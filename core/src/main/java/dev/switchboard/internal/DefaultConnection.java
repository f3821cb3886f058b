package dev.switchboard.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.CloseCodes;
import dev.switchboard.Connection;
import dev.switchboard.ConnectionClosedException;
import dev.switchboard.ErrorCode;
import dev.switchboard.Identity;
import dev.switchboard.SwitchboardException;
import dev.switchboard.SendResult;
import dev.switchboard.spi.EncodedFrame;
import dev.switchboard.spi.Handshake;
import dev.switchboard.spi.SessionHandler;
import dev.switchboard.spi.TransportSession;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection on this node: its state machine, outbound queue and pending requests. Inbound frames
 * are passed to the reader its {@link ConnectionHost} gives it (an {@link InboundDispatcher} or a plain
 * endpoint's); it sees the node only through that host.
 */
final class DefaultConnection implements Connection, SessionHandler {
    private static final Logger log = LoggerFactory.getLogger(DefaultConnection.class);

    private final String id;
    private volatile Identity identity;
    private volatile java.util.concurrent.ScheduledFuture<?> expiry;
    private final TransportSession session;
    private final ConnectionHost node;
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private final Set<String> topics = ConcurrentHashMap.newKeySet();
    private final AtomicReference<State> state = new AtomicReference<>(State.OPEN);
    private final OutboundQueue outbound;
    private final PendingRequests pending;
    /** The node's handler executor, with this connection's ids in the MDC. */
    private final Executor pooled;
    private final SerialExecutor inbound;
    private final Inbound dispatcher;
    /** The plain endpoint this connection came through, or {@code null} for the protocol endpoint. */
    private final PlainEndpointAcceptor plain;
    /** False once the transport said it cannot ping: a plain connection is then never closed for silence. */
    private volatile boolean pingable = true;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    // Non-null when the client speaks cloudevents.json instead of switchboard.v1.
    private final CloudEventsWire cloudEvents;
    private volatile long lastSeenMillis;
    private volatile DurableCursors cursors;

    DefaultConnection(String id, Identity identity, TransportSession session, ConnectionHost node) {
        this(id, identity, session, node, null);
    }

    /** @param plain the plain endpoint of this connection, or {@code null} for the protocol endpoint */
    DefaultConnection(String id, Identity identity, TransportSession session, ConnectionHost node,
                      PlainEndpointAcceptor plain) {
        this.id = id;
        this.plain = plain;
        this.identity = identity;
        this.session = session;
        this.node = node;
        this.lastSeenMillis = node.clock().millis();
        this.cloudEvents = CloudEventsWire.SUB_PROTOCOL.equals(session.subProtocol()) ? node.cloudEventsWire() : null;
        this.pending = new PendingRequests(node.timer());
        this.pooled = LogContext.executor(node.handlerExecutor(), node.nodeId(), id);
        this.inbound = new SerialExecutor(pooled);
        this.outbound = new OutboundQueue(session, node.options().maxQueuedBytes(), new OutboundQueue.Listener() {
            @Override
            public void overflow() {
                node.listener().slowConsumer(DefaultConnection.this);
                log.warn("Closing {}: outbound queue exceeded {} bytes (slow consumer)", id,
                        node.options().maxQueuedBytes());
                terminate(CloseCodes.TRY_AGAIN_LATER, "slow consumer");
            }

            @Override
            public void writeFailed(Throwable cause) {
                log.debug("Write to {} failed; aborting", id, cause);
                session.abort();
            }

            @Override
            public void drainedForClose() {
                CloseRequest c = closeRequest;
                session.close(c.code, c.reason);
            }
        });
        this.dispatcher = node.inbound(this);
    }

    private record CloseRequest(int code, String reason) { }

    private volatile CloseRequest closeRequest = new CloseRequest(CloseCodes.NORMAL, "");

    @Override
    public String id() {
        return id;
    }

    @Override
    public Identity identity() {
        return identity;
    }

    @Override
    public Handshake handshake() {
        return session.handshake();
    }

    @Override
    public State state() {
        return state.get();
    }

    @Override
    public String subProtocol() {
        if (plain != null) {
            return null;
        }
        return cloudEvents != null ? CloudEventsWire.SUB_PROTOCOL : DefaultSwitchboard.V1;
    }

    /** @return the cloudevents.json codec when this client speaks it, else null */
    CloudEventsWire cloudEvents() {
        return cloudEvents;
    }

    @Override
    public Map<String, Object> attributes() {
        return attributes;
    }

    @Override
    public Set<String> topics() {
        return Set.copyOf(topics);
    }

    Set<String> topicSet() {
        return topics;
    }

    @Override
    public SendResult send(String event, Object data) {
        Objects.requireNonNull(event, "event");
        return send(EncodedFrame.ofBytes(node.codec().encodeEvent(event, null, null, data)));
    }

    /**
     * Queues a durable topic's message: skipped when this connection already has it, held back while
     * its subscription to the topic is recovering.
     */
    SendResult sendDurable(String topic, String epoch, long offset, EncodedFrame frame) {
        DurableCursors c = cursors;
        return c == null ? send(frame) : c.offer(topic, epoch, offset, frame);
    }

    /** @return this connection's durable-topic cursors, created on first use */
    DurableCursors cursors() {
        DurableCursors c = cursors;
        if (c == null) {
            synchronized (this) {
                c = cursors;
                if (c == null) {
                    c = new DurableCursors(this::send);
                    cursors = c;
                }
            }
        }
        return c;
    }

    /**
     * Queues an already-encoded protocol frame (shared with other connections); a plain connection gets
     * its endpoint's text form of it instead, a {@code cloudevents.json} client its CloudEvents form
     * (shared too), or nothing when the message has no such form.
     */
    SendResult send(EncodedFrame frame) {
        if (state.get() != State.OPEN) {
            return SendResult.CLOSED;
        }
        if (plain != null || cloudEvents != null) {
            frame = plain != null ? plain.textOf(frame) : cloudEvents.outbound(frame);
            if (frame == null) {
                return SendResult.SKIPPED;
            }
        }
        return outbound.offer(frame);
    }

    /** @return the plain endpoint of this connection, or {@code null} for the protocol endpoint */
    PlainEndpointAcceptor plain() {
        return plain;
    }

    /**
     * One heartbeat: the protocol's {@code ping} frame, or a WebSocket ping for a plain or a
     * {@code cloudevents.json} connection (neither has a ping frame of its own).
     *
     * @param ping the shared protocol ping frame
     */
    void heartbeat(EncodedFrame ping) {
        if (plain == null && cloudEvents == null) {
            send(ping);
        } else if (pingable && state.get() == State.OPEN) {
            pingable = session.ping();
        }
    }

    /** @return whether silence for two heartbeat periods closes this connection */
    boolean closesWhenSilent() {
        return (plain == null && cloudEvents == null) || pingable;
    }

    @Override
    public CompletableFuture<JsonNode> request(String event, Object data, Duration timeout) {
        Objects.requireNonNull(event, "event");
        Duration t = timeout == null ? node.options().requestTimeout() : timeout;
        CompletableFuture<JsonNode> future = new CompletableFuture<>();
        if (plain != null) {
            future.completeExceptionally(new UnsupportedOperationException("connection " + id
                    + " is on plain endpoint " + plain.path() + ": it cannot answer requests"));
            return future;
        }
        if (state.get() != State.OPEN) {
            future.completeExceptionally(new ConnectionClosedException("connection " + id + " is closed"));
            return future;
        }
        if (cloudEvents != null) {
            future.completeExceptionally(new UnsupportedOperationException("connection " + id + " speaks "
                    + CloudEventsWire.SUB_PROTOCOL + ": it cannot answer requests"));
            return future;
        }
        JsonNode tree;
        try {
            tree = node.codec().toTree(data);
        } catch (IllegalArgumentException e) {
            future.completeExceptionally(e);
            return future;
        }
        String requestId = pending.register(event, future, t, ev -> node.listener().requestTimedOut(this, ev));
        EncodedFrame frame = EncodedFrame.ofBytes(node.codec().encode(
                new dev.switchboard.protocol.Frame.Request(new com.fasterxml.jackson.databind.node.TextNode(requestId),
                        event, tree)));
        SendResult r = outbound.offer(frame);
        if (r == SendResult.TOO_LARGE) {
            pending.cancel(requestId);
            future.completeExceptionally(new SwitchboardException(ErrorCode.TOO_LARGE, "request \"" + event
                    + "\" is " + frame.size() + " bytes, more than maxQueuedBytes (" + node.options().maxQueuedBytes() + ")"));
        } else if (r != SendResult.QUEUED) {
            pending.cancel(requestId);
            future.completeExceptionally(new ConnectionClosedException(
                    "request \"" + event + "\" not sent to " + id + ": " + r));
        }
        return future;
    }

    PendingRequests pending() {
        return pending;
    }

    @Override
    public void join(String topic) {
        node.join(this, Objects.requireNonNull(topic, "topic"));
    }

    @Override
    public void leave(String topic) {
        node.leave(this, Objects.requireNonNull(topic, "topic"));
        DurableCursors c = cursors;
        if (c != null) {
            c.remove(topic);
        }
    }

    @Override
    public void close(int code, String reason) {
        if (state.compareAndSet(State.OPEN, State.CLOSING)) {
            closeRequest = new CloseRequest(code, reason == null ? "" : reason);
            outbound.closeWhenDrained();
            scheduleAbortIfStuck();
        }
    }

    /** Closes without waiting for queued frames: for slow, silent or abusive clients. */
    void terminate(int code, String reason) {
        State before = state.getAndUpdate(s -> s == State.CLOSED ? s : State.CLOSING);
        if (before == State.CLOSED) {
            return;
        }
        outbound.close();
        session.close(code, reason);
        scheduleAbortIfStuck();
    }

    /**
     * Replaces the identity with a refreshed one of the same user (re-indexed) and re-arms its expiry.
     *
     * @param fresh the identity the fresh token proves
     * @throws SwitchboardException {@code forbidden} when it is another user's
     */
    void reidentify(Identity fresh) {
        Identity before = identity;
        if (!java.util.Objects.equals(before.userId(), fresh.userId()) || fresh.isAnonymous()) {
            throw new SwitchboardException(ErrorCode.FORBIDDEN, "a fresh token must be for the same user");
        }
        synchronized (this) {
            identity = fresh;
            node.reidentify(this, before, fresh);
        }
        watchExpiry();
    }

    /**
     * Closes the connection with 4001 when its identity expires (unless a refresh moved the expiry).
     *
     * @return how long the identity is still valid, in ms, or null when it never expires
     */
    Long watchExpiry() {
        java.util.concurrent.ScheduledFuture<?> previous = expiry;
        if (previous != null) {
            previous.cancel(false);
        }
        Identity who = identity;
        if (who.expiresAt() == null) {
            return null;
        }
        long left = who.expiresAt().toEpochMilli() - node.clock().millis();
        if (left <= 0) {
            close(CloseCodes.TOKEN_EXPIRED, "token expired");
            return 0L;
        }
        expiry = node.timer().schedule(() -> {
            if (identity == who) {
                log.debug("Closing {}: its token expired", id);
                close(CloseCodes.TOKEN_EXPIRED, "token expired");
            }
        }, left, TimeUnit.MILLISECONDS);
        return left;
    }

    /** A peer that does not complete the close handshake is dropped after one heartbeat period. */
    private void scheduleAbortIfStuck() {
        node.timer().schedule(() -> {
            if (state.get() != State.CLOSED) {
                session.abort();
            }
        }, node.options().heartbeat().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public long queuedBytes() {
        return outbound.queuedBytes();
    }

    long lastSeenMillis() {
        return lastSeenMillis;
    }

    /** @return this connection's serial executor: its tasks run one at a time, in order, with its MDC */
    Executor inboundExecutor() {
        return inbound;
    }

    /** @return the node's handler executor, running tasks with this connection's MDC */
    Executor pooledExecutor() {
        return pooled;
    }

    /** @return this connection's frames received and not yet handled (see {@link Inbound#inFlight()}) */
    int inFlight() {
        return dispatcher.inFlight();
    }

    CompletableFuture<Void> closedFuture() {
        return closed;
    }

    // ---- SessionHandler: called by the transport, never concurrently, possibly on I/O threads ----

    @Override
    public void onText(String text) {
        lastSeenMillis = node.clock().millis();
        if (state.get() == State.CLOSED) {
            return;
        }
        // Writes started while this frame is handled (a fan-out, the reply) begin when it is done, this
        // connection's first: a publisher's reply does not wait behind a thousand recipients' writes.
        DeferredWrites writes = DeferredWrites.begin();
        try {
            dispatcher.onText(text);
        } finally {
            if (writes != null) {
                writes.end(outbound, node.handlerExecutor());
            }
        }
    }

    @Override
    public void onBinary(int size) {
        lastSeenMillis = node.clock().millis();
        dispatcher.onBinary(size);
    }

    @Override
    public void onPong() {
        lastSeenMillis = node.clock().millis();
    }

    @Override
    public void onError(Throwable cause) {
        log.debug("Transport error on {}", id, cause);
    }

    @Override
    public void onClosed(int code, String reason) {
        if (state.getAndSet(State.CLOSED) == State.CLOSED) {
            return;
        }
        outbound.close();
        java.util.concurrent.ScheduledFuture<?> e = expiry;
        if (e != null) {
            e.cancel(false);
        }
        pending.failAll(new ConnectionClosedException("connection " + id + " closed (" + code + ")"));
        dispatcher.cancelInFlight();
        node.closed(this, code, reason == null ? "" : reason);
        closed.complete(null);
    }

    @Override
    public String toString() {
        return "Connection[" + id + ", user=" + identity.userId() + ", " + state.get() + "]";
    }
}
