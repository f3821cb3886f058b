package dev.switchboard.client.internal;

import dev.switchboard.CloseCodes;
import dev.switchboard.ConnectionClosedException;
import dev.switchboard.ErrorCode;
import dev.switchboard.RequestTimeoutException;
import dev.switchboard.StreamPosition;
import dev.switchboard.SwitchboardException;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.ClientState;
import dev.switchboard.client.CloseStatus;
import dev.switchboard.client.Registration;
import dev.switchboard.client.StateListener;
import dev.switchboard.protocol.Frame;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.ProtocolException;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection lifecycle of a client, the state machine of {@link ClientState}: connecting and
 * waiting for {@code welcome}, heartbeat watching, reconnecting with backoff, re-subscribing, the queue
 * of frames made while reconnecting, and closing. Frames other than {@code welcome} and {@code ping}
 * are handed to the client through {@link Frames}.
 *
 * <p>Concurrency: {@code state}, the current {@link Session}, the timers and the queue are guarded by
 * {@code lock}. Work runs on the socket's I/O thread and the timer thread and never blocks; effects that
 * reach user code (state listeners, futures) are collected while the lock is held and run after it is
 * released, so user code never runs under the lock.
 */
public final class Lifecycle implements Session.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

    /** Receives what the lifecycle does not handle itself. Called on the I/O thread; must not block. */
    public interface Frames {
        /**
         * @param session the connection the frame came on
         * @param frame a reply, event, request or error frame of the current connection
         */
        void onFrame(Session session, Frame frame);

        /** @param error an error tied to no request */
        void onError(SwitchboardException error);
    }

    private final ClientOptions options;
    private final FrameCodec codec;
    private final Connector connector;
    private final Scheduler scheduler;
    private final Callbacks callbacks;
    private final DoubleSupplier random;
    private final PendingRequests pending;
    private final Subscriptions subscriptions;
    private final Frames frames;
    private final Runnable onTerminated;
    private final Backoff backoff;
    private final String pongText;
    private final List<StateListener> stateListeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> welcomed = new CompletableFuture<>();
    private final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();

    private final Object lock = new Object();
    private final OutboundQueue queue;
    private ClientState state = ClientState.NEW;
    private Session session;
    private boolean sessionWelcomed;
    private int attempt;
    private Scheduler.Cancellable welcomeTimer = Scheduler.Cancellable.NONE;
    private Scheduler.Cancellable heartbeatTimer = Scheduler.Cancellable.NONE;
    private Scheduler.Cancellable reconnectTimer = Scheduler.Cancellable.NONE;
    private Scheduler.Cancellable refreshTimer = Scheduler.Cancellable.NONE;
    private volatile String connectionId;
    private volatile String nodeId;

    /**
     * @param options the settings
     * @param codec encodes and decodes frames
     * @param connector opens sockets
     * @param scheduler timers and clock
     * @param callbacks runs state listeners
     * @param random uniform numbers in {@code [0, 1)} for the backoff jitter
     * @param pending the client's pending requests (failed when their connection is lost)
     * @param subscriptions the topics to re-subscribe after a reconnect
     * @param frames receives the other frames and errors
     * @param onTerminated runs once, on the callback executor, after the client closed
     */
    public Lifecycle(ClientOptions options, FrameCodec codec, Connector connector, Scheduler scheduler,
                     Callbacks callbacks, DoubleSupplier random, PendingRequests pending, Subscriptions subscriptions,
                     Frames frames, Runnable onTerminated) {
        this.options = Objects.requireNonNull(options, "options");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.connector = Objects.requireNonNull(connector, "connector");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.callbacks = Objects.requireNonNull(callbacks, "callbacks");
        this.random = Objects.requireNonNull(random, "random");
        this.pending = Objects.requireNonNull(pending, "pending");
        this.subscriptions = Objects.requireNonNull(subscriptions, "subscriptions");
        this.frames = Objects.requireNonNull(frames, "frames");
        this.onTerminated = Objects.requireNonNull(onTerminated, "onTerminated");
        this.backoff = new Backoff(options.reconnectInitialDelay(), options.reconnectMaxDelay(),
                options.reconnectMultiplier());
        this.pongText = encode(new Frame.Pong());
        this.queue = new OutboundQueue(options.maxQueuedFrames());
    }

    /**
     * Opens the first connection; later calls only return the same future.
     *
     * @return completes after the welcome frame (on the I/O thread); fails with the reason the first
     *     connection failed, or at once when the client was closed before it was started
     */
    public CompletableFuture<Void> start() {
        List<Runnable> effects = new ArrayList<>();
        Session s;
        synchronized (lock) {
            if (state != ClientState.NEW) {
                if (state == ClientState.CLOSED && !welcomed.isDone()) {
                    welcomed.completeExceptionally(new ConnectionClosedException("client is closed"));
                }
                return welcomed;
            }
            setState(effects, ClientState.CONNECTING);
            s = newSession();
        }
        effects.forEach(Runnable::run);
        open(s);
        return welcomed;
    }

    /** @return the current state */
    public ClientState state() {
        synchronized (lock) {
            return state;
        }
    }

    /** @return the id of the current (or last) connection, null before the first welcome */
    public String connectionId() {
        return connectionId;
    }

    /** @return the node id of the current (or last) connection, null before the first welcome */
    public String nodeId() {
        return nodeId;
    }

    /**
     * @param listener observes transitions from now on
     * @return removes it
     */
    public Registration onStateChange(StateListener listener) {
        stateListeners.add(Objects.requireNonNull(listener, "listener"));
        return () -> stateListeners.remove(listener);
    }

    /** @return completes (on the deciding thread) once CLOSED, with the final close status */
    public CompletableFuture<CloseStatus> closed() {
        return closed;
    }

    /**
     * Writes now when open; queues before the first welcome and while reconnecting; refuses when closed or
     * the queue is full.
     *
     * @param writer writes the frame to a session; runs under the lock, must only append to the session
     * @param outcome the caller's future; once it completes, a queued entry is dropped
     * @param refuse fails the caller's future
     * @param onQueued runs when the frame was queued
     */
    public void submit(Consumer<Session> writer, CompletableFuture<?> outcome,
                       Consumer<SwitchboardException> refuse, Runnable onQueued) {
        SwitchboardException refusal;
        synchronized (lock) {
            if (state == ClientState.OPEN) {
                writer.accept(session);
                return;
            }
            boolean firstConnection = state == ClientState.NEW || state == ClientState.CONNECTING;
            if (state == ClientState.CLOSED) {
                refusal = new ConnectionClosedException("client is closed");
            } else if ((firstConnection || options.reconnect()) && queue.offer(outcome, writer)) {
                onQueued.run();
                return;
            } else {
                refusal = new ConnectionClosedException("disconnected, and the reconnect queue ("
                        + options.maxQueuedFrames() + " frames) is full or disabled");
            }
        }
        refuse.accept(refusal);
    }

    /**
     * Closes for good (see {@code SwitchboardClient#close(int, String)}). Idempotent.
     *
     * @param code the close code, already validated
     * @param reason the reason
     */
    public void close(int code, String reason) {
        List<Runnable> effects = new ArrayList<>();
        synchronized (lock) {
            if (state == ClientState.CLOSED) {
                return;
            }
            Session s = session;
            enterClosed(effects, new ConnectionClosedException("client closed"),
                    s == null ? new CloseStatus(code, reason) : null);
            if (s != null && sessionWelcomed) {
                // frames already handed to the socket go first; the close frame follows them
                s.close(code, reason).whenComplete((v, e) -> {
                    if (e != null) {
                        s.abort(code, reason);
                    }
                });
                scheduler.schedule(options.closeTimeout(), () -> s.abort(code, reason));
            } else if (s != null) {
                effects.add(() -> s.abort(code, reason));
            }
        }
        effects.forEach(Runnable::run);
    }

    // ---------------------------------------------------------------- connections

    /** Starts a connection attempt (lock held); the caller opens it after releasing the lock. */
    private Session newSession() {
        Session s = new Session(this);
        session = s;
        sessionWelcomed = false;
        s.touch(scheduler.nanoTime());
        long ms = options.connectTimeout().toMillis();
        welcomeTimer = scheduler.schedule(options.connectTimeout(),
                () -> s.abort(CloseStatus.ABNORMAL, "no welcome frame within " + ms + " ms"));
        return s;
    }

    private void open(Session s) {
        if (options.tokenProvider() == null) {
            open(s, options.token());
            return;
        }
        freshToken().whenComplete((token, e) -> {
            if (e != null || token == null) {
                LOG.debug("the token provider gave no token ({})", e == null ? "null" : e.getClass().getSimpleName());
                s.fail(new SwitchboardException(ErrorCode.UNAUTHORIZED, "the token provider gave no token", e));
            } else {
                open(s, token);
            }
        });
    }

    private CompletableFuture<String> freshToken() {
        try {
            return options.tokenProvider().get().toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void open(Session s, String token) {
        Map<String, String> headers = new LinkedHashMap<>(options.headers());
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        CompletableFuture<WebSocket> opening;
        try {
            opening = connector.open(options.uri(), headers, options.subProtocols(), options.connectTimeout(), s);
        } catch (RuntimeException e) {
            opening = CompletableFuture.failedFuture(e);
        }
        opening.whenComplete((ws, e) -> {
            if (e != null) {
                s.fail(Futures.unwrap(e));
            } else {
                s.attach(ws);
            }
        });
    }

    private void reconnect() {
        Session s;
        synchronized (lock) {
            if (state != ClientState.RECONNECTING || session != null) {
                return;
            }
            s = newSession();
        }
        LOG.debug("reconnecting to {} (attempt {})", options.uri(), attempt + 1);
        open(s);
    }

    @Override
    public void onMessage(Session s, String text) {
        s.touch(scheduler.nanoTime());
        Frame frame;
        try {
            frame = codec.decode(text);
        } catch (ProtocolException e) {
            frames.onError(new SwitchboardException(ErrorCode.BAD_REQUEST, "unreadable frame from the server: "
                    + e.getMessage()));
            return;
        }
        if (frame instanceof Frame.Ping) {
            // answered here, not on the callback executor, so a busy listener never looks like a dead client
            s.send(pongText);
            return;
        }
        synchronized (lock) {
            if (s != session || state == ClientState.CLOSED) {
                return;
            }
        }
        if (frame instanceof Frame.Welcome w) {
            onWelcome(s, w);
        } else {
            frames.onFrame(s, frame);
        }
    }

    private void onWelcome(Session s, Frame.Welcome w) {
        List<Runnable> effects = new ArrayList<>();
        Set<String> topics;
        boolean first;
        synchronized (lock) {
            if (s != session || sessionWelcomed) {
                return;
            }
            sessionWelcomed = true;
            welcomeTimer.cancel();
            connectionId = w.connectionId();
            nodeId = w.node();
            if (w.heartbeatMs() > 0) {
                watchHeartbeat(s, Duration.ofMillis(w.heartbeatMs()));
            }
            scheduleRefresh(s, w.expiresInMs());
            first = state == ClientState.CONNECTING;
            if (first) {
                setState(effects, ClientState.OPEN);
                attempt = 0;
                effects.add(() -> welcomed.complete(null));
                // what was emitted or requested before the first welcome (a client made by create())
                for (OutboundQueue.Entry entry : queue.drain()) {
                    entry.onWrite().accept(s);
                }
            }
            topics = first ? Set.of() : subscriptions.confirmed();
        }
        effects.forEach(Runnable::run);
        if (first) {
            return;
        }
        LOG.debug("reconnected as {}; re-subscribing {}", w.connectionId(), topics);
        List<CompletableFuture<?>> replies = new ArrayList<>();
        for (String topic : topics) {
            replies.add(resubscribe(s, topic));
        }
        CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> resume(s));
    }

    private CompletableFuture<?> resubscribe(Session s, String topic) {
        StreamPosition since = subscriptions.position(topic);
        PendingRequests.Pending p = pending.register("subscribe", options.requestTimeout());
        p.sentOn(s);
        s.send(encode(new Frame.Subscribe(p.idNode(), topic, Subscriptions.sinceNode(since)))).whenComplete((v, e) -> {
            if (e != null) {
                pending.fail(p.id(), () -> Futures.writeFailed("subscribe", e));
            }
        });
        return p.future().handle((reply, error) -> {
            if (error == null) {
                subscriptions.resubscribed(topic, reply, since, callbacks);
                return null;
            }
            Throwable cause = Futures.unwrap(error);
            if (cause instanceof ConnectionClosedException) {
                return null; // the connection is gone again; the next reconnect retries
            }
            if (cause instanceof SwitchboardException se && !(se instanceof RequestTimeoutException)) {
                subscriptions.remove(topic); // refused now (e.g. forbidden): stop re-subscribing it
            }
            ErrorCode code = cause instanceof SwitchboardException se ? se.code() : ErrorCode.INTERNAL;
            frames.onError(new SwitchboardException(code, "could not re-subscribe to topic \"" + topic + "\": "
                    + cause.getMessage(), cause));
            return null;
        });
    }

    /** After the re-subscribes of a reconnect: open, and write what was queued meanwhile. */
    private void resume(Session s) {
        List<Runnable> effects = new ArrayList<>();
        synchronized (lock) {
            if (s != session || state != ClientState.RECONNECTING) {
                return;
            }
            setState(effects, ClientState.OPEN);
            attempt = 0;
            for (OutboundQueue.Entry entry : queue.drain()) {
                entry.onWrite().accept(s);
            }
        }
        effects.forEach(Runnable::run);
    }

    /**
     * Lock held. With a token provider and a token that expires, asks for a fresh one after 80% of its
     * remaining time and sends it in an {@code auth} frame; the reply's {@code expiresInMs} arms the next.
     */
    private void scheduleRefresh(Session s, Long expiresInMs) {
        refreshTimer.cancel();
        if (options.tokenProvider() == null || expiresInMs == null) {
            return;
        }
        refreshTimer = scheduler.schedule(Duration.ofMillis(expiresInMs * 4 / 5), () -> refresh(s));
    }

    private void refresh(Session s) {
        synchronized (lock) {
            if (s != session || state == ClientState.CLOSED) {
                return;
            }
        }
        freshToken().whenComplete((token, e) -> {
            if (e != null || token == null) {
                LOG.debug("no fresh token for the expiring connection; the server will close it (4001)");
                return;
            }
            PendingRequests.Pending p = pending.register("auth", options.requestTimeout());
            p.sentOn(s);
            s.send(encode(new Frame.Auth(p.idNode(), token))).whenComplete((v, failure) -> {
                if (failure != null) {
                    pending.fail(p.id(), () -> Futures.writeFailed("auth", failure));
                }
            });
            p.future().whenComplete((reply, failure) -> {
                if (failure != null) {
                    LOG.debug("the server refused the fresh token: {}", Futures.unwrap(failure).getMessage());
                    return;
                }
                JsonNode left = reply == null ? null : reply.get("expiresInMs");
                synchronized (lock) {
                    if (s == session) {
                        scheduleRefresh(s, left != null && left.canConvertToLong() && left.isIntegralNumber()
                                ? left.asLong() : null);
                    }
                }
            });
        });
    }

    /** Lock held. The server pings every heartbeat; two and a half periods of silence mean it is gone. */
    private void watchHeartbeat(Session s, Duration heartbeat) {
        long limit = heartbeat.toNanos() * 5 / 2;
        heartbeatTimer = scheduler.schedule(heartbeat.dividedBy(2), () -> {
            synchronized (lock) {
                if (s != session) {
                    return;
                }
                if (scheduler.nanoTime() - s.lastReceivedNanos() <= limit) {
                    watchHeartbeat(s, heartbeat);
                    return;
                }
            }
            s.abort(CloseStatus.ABNORMAL, "no frame from the server for " + limit / 1_000_000 + " ms");
        });
    }

    @Override
    public void onEnded(Session s, int code, String reason, Throwable cause) {
        List<Runnable> effects = new ArrayList<>();
        synchronized (lock) {
            if (s != session) {
                return;
            }
            session = null;
            sessionWelcomed = false;
            welcomeTimer.cancel();
            heartbeatTimer.cancel();
            refreshTimer.cancel();
            int status = ReconnectRules.handshakeStatus(cause);
            LOG.debug("connection ended: {} {} (handshake status {}, state {})", code, reason, status, state);
            switch (state) {
                case CLOSED -> finish(effects, new CloseStatus(code, reason));
                case CONNECTING -> {
                    SwitchboardException error = ReconnectRules.connectFailure(options.uri(), code, reason, cause, status);
                    enterClosed(effects, error, ReconnectRules.closeStatus(code, reason, status));
                    effects.add(() -> welcomed.completeExceptionally(error));
                }
                default -> connectionLost(effects, s, code, reason, status);
            }
        }
        effects.forEach(Runnable::run);
    }

    /** Lock held: an open or reconnecting connection ended; reconnect unless the rules say it is final. */
    private void connectionLost(List<Runnable> effects, Session s, int code, String reason, int status) {
        ConnectionClosedException lost = new ConnectionClosedException(
                "connection closed before the reply (" + code + (reason.isEmpty() ? "" : " " + reason) + ")");
        effects.add(() -> pending.failSentOn(s, () -> lost));
        if (state == ClientState.RECONNECTING) {
            attempt++;
        }
        boolean terminal = !options.reconnect()
                || (status >= 0 ? ReconnectRules.isTerminalHandshake(status) : ReconnectRules.isTerminalClose(code, options.tokenProvider() != null))
                || (options.maxReconnectAttempts() > 0 && attempt >= options.maxReconnectAttempts());
        if (terminal) {
            enterClosed(effects, lost, ReconnectRules.closeStatus(code, reason, status));
            return;
        }
        boolean restart = code == CloseCodes.SERVICE_RESTART && status < 0;
        setState(effects, ClientState.RECONNECTING);
        // A draining server (1012): go elsewhere soon, at a delay spread over restartDelay so that its
        // clients do not all arrive at the other nodes at once.
        Duration delay = restart
                ? Duration.ofNanos((long) (options.restartDelay().toNanos() * random.getAsDouble()))
                : backoff.delay(attempt, random.getAsDouble());
        LOG.debug("reconnecting in {} ms", delay.toMillis());
        reconnectTimer = scheduler.schedule(delay, this::reconnect);
    }

    /**
     * Lock held: moves to CLOSED, stops timers, fails queued and pending work, and finishes when the
     * status is known already (no socket left to wait for).
     */
    private void enterClosed(List<Runnable> effects, SwitchboardException error, CloseStatus status) {
        setState(effects, ClientState.CLOSED);
        reconnectTimer.cancel();
        refreshTimer.cancel();
        if (session == null) {
            welcomeTimer.cancel();
            heartbeatTimer.cancel();
        }
        List<OutboundQueue.Entry> queued = queue.drain();
        effects.add(() -> {
            for (OutboundQueue.Entry entry : queued) {
                entry.outcome().completeExceptionally(error);
            }
            pending.failAll(() -> error);
            welcomed.completeExceptionally(error); // closed before the first welcome: connect() fails
        });
        if (status != null) {
            finish(effects, status);
        }
    }

    /** Lock held: the end. Completes the close future, then lets go of what the client owns. */
    private void finish(List<Runnable> effects, CloseStatus status) {
        effects.add(() -> {
            closed.complete(status);
            callbacks.run(onTerminated);
        });
    }

    private void setState(List<Runnable> effects, ClientState next) {
        ClientState previous = state;
        if (previous == next) {
            return;
        }
        state = next;
        List<StateListener> listeners = List.copyOf(stateListeners);
        effects.add(() -> {
            for (StateListener l : listeners) {
                callbacks.run(() -> l.onStateChange(previous, next));
            }
        });
    }

    private String encode(Frame frame) {
        return new String(codec.encode(frame), StandardCharsets.UTF_8);
    }
}
