package dev.switchboard.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.ConnectionClosedException;
import dev.switchboard.ErrorCode;
import dev.switchboard.StreamPosition;
import dev.switchboard.SwitchboardException;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.ClientState;
import dev.switchboard.client.CloseStatus;
import dev.switchboard.client.ErrorListener;
import dev.switchboard.client.Registration;
import dev.switchboard.client.RemoteCollection;
import dev.switchboard.client.ResubscribeListener;
import dev.switchboard.client.ServerEventListener;
import dev.switchboard.client.ServerRequestHandler;
import dev.switchboard.client.StateListener;
import dev.switchboard.client.SubscribeOptions;
import dev.switchboard.client.SubscribeResult;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.client.TopicListener;
import dev.switchboard.protocol.Frame;
import dev.switchboard.protocol.FrameCodec;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's API and its handling of replies, events, server requests and error frames. The
 * connection itself — connecting, reconnecting, closing, the queue — is the {@link Lifecycle}'s.
 *
 * <p>Incoming frames are handled on the socket's I/O thread: replies complete their pending request
 * there (so subscription bookkeeping happens before the next frame is read), and everything that reaches
 * user code is handed to the callback executor through {@link Callbacks}.
 */
public final class DefaultSwitchboardClient implements SwitchboardClient, Lifecycle.Frames {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultSwitchboardClient.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final ClientOptions options;
    private final FrameCodec codec;
    private final Callbacks callbacks;
    private final PendingRequests pending;
    private final EventListeners events;
    private final Subscriptions subscriptions = new Subscriptions();
    private final RequestHandlers handlers;
    private final List<ErrorListener> errorListeners = new CopyOnWriteArrayList<>();
    private final Lifecycle lifecycle;
    private final Scheduler scheduler;
    private final CompletableFuture<CloseStatus> closed;

    /**
     * @param options the settings; its executor, scheduler and HTTP client fields are ignored here
     * @param connector opens sockets
     * @param scheduler timers and clock
     * @param callbackExecutor runs user callbacks
     * @param random uniform numbers in {@code [0, 1)} for the backoff jitter
     * @param onTerminated runs once after the client closed and its last callbacks were queued
     *     (shuts down what the client owns)
     */
    public DefaultSwitchboardClient(ClientOptions options, Connector connector, Scheduler scheduler,
                                    Executor callbackExecutor, DoubleSupplier random, Runnable onTerminated) {
        this.options = Objects.requireNonNull(options, "options");
        this.codec = new FrameCodec(options.mapper() == null ? new ObjectMapper() : options.mapper());
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.callbacks = new Callbacks(callbackExecutor);
        this.pending = new PendingRequests(scheduler);
        this.events = new EventListeners(codec.mapper());
        this.handlers = new RequestHandlers(codec);
        this.lifecycle = new Lifecycle(options, codec, connector, scheduler, callbacks, random, pending,
                subscriptions, this, onTerminated);
        this.closed = callbacks.relay(lifecycle.closed());
    }

    /**
     * Creates a client with the production connector and the executors the options name (or its own),
     * and connects it.
     *
     * @param options the settings
     * @return completes after the welcome frame
     */
    public static CompletableFuture<SwitchboardClient> connect(ClientOptions options) {
        return create(options).connect();
    }

    /**
     * Creates an unconnected client with the production connector and the executors the options name
     * (or its own, whose threads start with the first task).
     *
     * @param options the settings
     * @return the client, {@link ClientState#NEW}
     */
    public static DefaultSwitchboardClient create(ClientOptions options) {
        Objects.requireNonNull(options, "options");
        String name = "switchboard-client-" + INSTANCES.incrementAndGet();
        ExecutorService ownCallbacks = options.callbackExecutor() != null ? null
                : Executors.newSingleThreadExecutor(new DaemonThreadFactory(name + "-callbacks"));
        ScheduledExecutorService ownTimers = options.scheduler() != null ? null
                : Executors.newSingleThreadScheduledExecutor(new DaemonThreadFactory(name + "-timers"));
        HttpClient http = options.httpClient() != null ? options.httpClient()
                : HttpClient.newBuilder().connectTimeout(options.connectTimeout()).build();
        Runnable shutdown = () -> {
            if (ownCallbacks != null) {
                ownCallbacks.shutdown();
            }
            if (ownTimers != null) {
                ownTimers.shutdownNow();
            }
        };
        return new DefaultSwitchboardClient(options, new JdkConnector(http),
                new ExecutorScheduler(ownTimers != null ? ownTimers : options.scheduler()),
                ownCallbacks != null ? ownCallbacks : options.callbackExecutor(),
                () -> ThreadLocalRandom.current().nextDouble(), shutdown);
    }

    /**
     * Opens the first connection; later calls return the same outcome.
     *
     * @return completes with this client after the welcome frame, on the callback executor
     */
    public CompletableFuture<SwitchboardClient> start() {
        return connect();
    }

    @Override
    public CompletableFuture<SwitchboardClient> connect() {
        return callbacks.relay(lifecycle.start().thenApply(v -> this));
    }

    // ---------------------------------------------------------------- API

    @Override
    public String connectionId() {
        return lifecycle.connectionId();
    }

    @Override
    public String nodeId() {
        return lifecycle.nodeId();
    }

    @Override
    public ClientState state() {
        return lifecycle.state();
    }

    @Override
    public ClientOptions options() {
        return options;
    }

    @Override
    public ObjectMapper mapper() {
        return codec.mapper();
    }

    /** @return the caller's trace context from {@link ClientOptions#traceContext()}, or null; never throws */
    private dev.switchboard.TraceContext traceContext() {
        java.util.function.Supplier<dev.switchboard.TraceContext> supplier = options.traceContext();
        if (supplier == null) {
            return null;
        }
        try {
            return supplier.get();
        } catch (RuntimeException e) {
            return null; // tracing must not fail an emit or a request
        }
    }

    @Override
    public CompletableFuture<Void> emit(String event, Object data) {
        Objects.requireNonNull(event, "event");
        String text = encode(new Frame.Emit(event, codec.toTree(data), traceContext()));
        CompletableFuture<Void> outcome = new CompletableFuture<>();
        lifecycle.submit(s -> s.send(text).whenComplete((v, e) -> {
            if (e != null) {
                outcome.completeExceptionally(Futures.writeFailed("emit \"" + event + "\"", e));
            } else {
                outcome.complete(null);
            }
        }), outcome, outcome::completeExceptionally, () -> {
            // an emit has no reply to time out; bound its wait for a reconnect by the request timeout
            Scheduler.Cancellable expiry = scheduler.schedule(options.requestTimeout(), () ->
                    outcome.completeExceptionally(new ConnectionClosedException("emit \"" + event
                            + "\" dropped: not reconnected within " + options.requestTimeout().toMillis() + " ms")));
            outcome.whenComplete((v, e) -> expiry.cancel());
        });
        return callbacks.relay(outcome);
    }

    @Override
    public CompletableFuture<JsonNode> request(String event, Object data) {
        return request(event, data, options.requestTimeout());
    }

    @Override
    public CompletableFuture<JsonNode> request(String event, Object data, Duration timeout) {
        Objects.requireNonNull(event, "event");
        JsonNode tree = codec.toTree(data);
        dev.switchboard.TraceContext trace = traceContext();
        return callbacks.relay(send(event, timeout, id -> new Frame.Request(id, event, tree, trace)));
    }

    @Override
    public <T> CompletableFuture<T> request(String event, Object data, Class<T> type) {
        return request(event, data, type, options.requestTimeout());
    }

    @Override
    public <T> CompletableFuture<T> request(String event, Object data, Class<T> type, Duration timeout) {
        Objects.requireNonNull(type, "type");
        return request(event, data, timeout).thenApply(reply -> {
            try {
                return Json.convert(codec.mapper(), reply, type);
            } catch (IllegalArgumentException e) {
                throw new SwitchboardException(ErrorCode.BAD_REQUEST, "reply to \"" + event + "\" does not fit "
                        + type.getSimpleName() + ": " + e.getMessage(), e);
            }
        });
    }

    @Override
    public Registration on(String event, ServerEventListener<JsonNode> listener) {
        return on(event, JsonNode.class, listener);
    }

    @Override
    public <T> Registration on(String event, Class<T> type, ServerEventListener<T> listener) {
        return events.add(Objects.requireNonNull(event, "event"), Objects.requireNonNull(type, "type"),
                Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public Registration onRequest(String event, ServerRequestHandler<JsonNode> handler) {
        return onRequest(event, JsonNode.class, handler);
    }

    @Override
    public <T> Registration onRequest(String event, Class<T> type, ServerRequestHandler<T> handler) {
        return handlers.set(Objects.requireNonNull(event, "event"), Objects.requireNonNull(type, "type"),
                Objects.requireNonNull(handler, "handler"));
    }

    @Override
    public CompletableFuture<JsonNode> subscribe(String topic) {
        return callbacks.relay(doSubscribe(topic, null, SubscribeOptions.defaults()).thenApply(Subscribed::reply));
    }

    @Override
    public CompletableFuture<JsonNode> subscribe(String topic, TopicListener listener) {
        Objects.requireNonNull(listener, "listener");
        return callbacks.relay(doSubscribe(topic, listener, SubscribeOptions.defaults()).thenApply(Subscribed::reply));
    }

    @Override
    public CompletableFuture<SubscribeResult> subscribe(String topic, SubscribeOptions options) {
        return callbacks.relay(doSubscribe(topic, null, options).thenApply(Subscribed::result));
    }

    @Override
    public CompletableFuture<SubscribeResult> subscribe(String topic, TopicListener listener, SubscribeOptions options) {
        Objects.requireNonNull(listener, "listener");
        return callbacks.relay(doSubscribe(topic, listener, options).thenApply(Subscribed::result));
    }

    /** A subscribe's raw reply and its decoded outcome. */
    private record Subscribed(JsonNode reply, SubscribeResult result) {
    }

    private CompletableFuture<Subscribed> doSubscribe(String topic, TopicListener listener, SubscribeOptions opts) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(opts, "options");
        StreamPosition since = subscriptions.adding(topic, listener, opts.since(), opts.onResubscribe());
        JsonNode sinceNode = Subscriptions.sinceNode(since);
        // the bookkeeping runs where the reply is decided (I/O thread), before any later frame is handled
        return send("subscribe", options.requestTimeout(), id -> new Frame.Subscribe(id, topic, sinceNode))
                .whenComplete((r, e) -> {
                    if (e != null) {
                        subscriptions.refused(topic, listener, opts.onResubscribe());
                    }
                })
                .thenApply(r -> new Subscribed(r, subscriptions.accepted(topic, r, since)));
    }

    @Override
    public Optional<StreamPosition> position(String topic) {
        return Optional.ofNullable(subscriptions.position(Objects.requireNonNull(topic, "topic")));
    }

    @Override
    public Registration onResubscribe(ResubscribeListener listener) {
        return subscriptions.onResubscribe(listener);
    }

    @Override
    public CompletableFuture<JsonNode> unsubscribe(String topic) {
        Objects.requireNonNull(topic, "topic");
        subscriptions.remove(topic);
        return callbacks.relay(send("unsubscribe", options.requestTimeout(), id -> new Frame.Unsubscribe(id, topic)));
    }

    @Override
    public Set<String> subscriptions() {
        return subscriptions.all();
    }

    @Override
    public <T> RemoteCollection<T> collection(String name, Class<T> type) {
        return new DefaultRemoteCollection<>(this, name, type, options.requestTimeout());
    }

    @Override
    public RemoteCollection<ObjectNode> collection(String name) {
        return collection(name, ObjectNode.class);
    }

    @Override
    public Registration onError(ErrorListener listener) {
        errorListeners.add(Objects.requireNonNull(listener, "listener"));
        return () -> errorListeners.remove(listener);
    }

    @Override
    public Registration onStateChange(StateListener listener) {
        return lifecycle.onStateChange(listener);
    }

    @Override
    public CompletableFuture<CloseStatus> closeFuture() {
        return closed;
    }

    @Override
    public void close() {
        close(1000, "");
    }

    @Override
    public void close(int code, String reason) {
        Objects.requireNonNull(reason, "reason");
        if (code != 1000 && (code < 3000 || code > 4999)) {
            throw new IllegalArgumentException("close code must be 1000 or 3000-4999, got " + code);
        }
        lifecycle.close(code, reason);
    }

    // ---------------------------------------------------------------- sending

    /**
     * Registers a request, encodes it with its id, and writes or queues it.
     *
     * @param event the event name, for messages
     * @param timeout the reply timeout
     * @param frame makes the frame for an id; must not throw (data is converted before)
     * @return the raw reply future (completes on the deciding thread)
     */
    private CompletableFuture<JsonNode> send(String event, Duration timeout, Function<JsonNode, Frame> frame) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        PendingRequests.Pending p = pending.register(event, timeout);
        String text = encode(frame.apply(p.idNode()));
        lifecycle.submit(s -> {
            p.sentOn(s);
            s.send(text).whenComplete((v, e) -> {
                if (e != null) {
                    pending.fail(p.id(), () -> Futures.writeFailed("request \"" + event + "\"", e));
                }
            });
        }, p.future(), error -> pending.fail(p.id(), () -> error), () -> { });
        return p.future();
    }

    private String encode(Frame frame) {
        return new String(codec.encode(frame), StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- incoming

    @Override
    public void onFrame(Session s, Frame frame) {
        if (frame instanceof Frame.Reply r) {
            if (!pending.complete(r)) {
                LOG.debug("reply {} matches no pending request (timed out?)", r.id());
            }
        } else if (frame instanceof Frame.Event e) {
            if (subscriptions.admit(e)) {
                events.dispatch(e, callbacks);
                subscriptions.dispatch(e, callbacks);
            }
        } else if (frame instanceof Frame.Request r) {
            handlers.answer(r, callbacks).thenAccept(reply -> s.send(encode(reply)).whenComplete((v, e) -> {
                if (e != null) {
                    LOG.debug("could not write the reply to server request {}", r.id(), e);
                }
            }));
        } else if (frame instanceof Frame.Error e) {
            onError(e.error().toException());
        } else {
            LOG.debug("ignoring unexpected {} frame from the server", frame.type());
        }
    }

    @Override
    public void onError(SwitchboardException error) {
        if (errorListeners.isEmpty()) {
            LOG.warn("{}: {}", error.code().wire(), error.getMessage());
            return;
        }
        for (ErrorListener l : errorListeners) {
            callbacks.run(() -> l.onError(error));
        }
    }
}
