package dev.switchboard.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.Audience;
import dev.switchboard.Cluster;
import dev.switchboard.ConnectionInfo;
import dev.switchboard.Retention;
import dev.switchboard.StreamPosition;
import dev.switchboard.backplane.InMemoryHistory;
import dev.switchboard.spi.History;
import dev.switchboard.CloseCodes;
import dev.switchboard.ConnectHandler;
import dev.switchboard.ConnectionLimits;
import dev.switchboard.Connection;
import dev.switchboard.DisconnectHandler;
import dev.switchboard.Emitter;
import dev.switchboard.EventHandler;
import dev.switchboard.EventListener;
import dev.switchboard.Execution;
import dev.switchboard.Identity;
import dev.switchboard.Interceptor;
import dev.switchboard.PlainEndpoint;
import dev.switchboard.RequestHandler;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardOptions;
import dev.switchboard.cloudevents.CloudEventHandler;
import dev.switchboard.crud.CrudOperation;
import dev.switchboard.crud.internal.CrudService;
import dev.switchboard.emit.EmitOptions;
import dev.switchboard.emit.EmitService;
import java.net.URI;
import dev.switchboard.protocol.Frame;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.spi.Authenticator;
import dev.switchboard.spi.Backplane;
import dev.switchboard.spi.BackplaneHealth;
import dev.switchboard.spi.EncodedFrame;
import dev.switchboard.spi.Handshake;
import dev.switchboard.spi.PathTemplate;
import dev.switchboard.spi.SessionAcceptor;
import dev.switchboard.spi.SessionHandler;
import dev.switchboard.spi.SubscriptionPolicy;
import dev.switchboard.spi.TransportSession;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node: handlers, registry, router, heartbeat and backplane wiring. Connections see it only through
 * {@link ConnectionHost}, their dispatchers through {@link InboundRoutes}; CRUD requests go to the
 * {@link CrudService} in a namespace of their own, never through the application's handlers.
 */
public final class DefaultSwitchboard implements Switchboard {
    private static final Logger log = LoggerFactory.getLogger(DefaultSwitchboard.class);
    /** The default sub-protocol: wire protocol v1. */
    static final String V1 = "switchboard.v1";
    private static final List<String> SUB_PROTOCOLS = List.of(V1, CloudEventsWire.SUB_PROTOCOL);

    private final SwitchboardOptions options;
    private final BackplanePipeline backplane;
    private final Authenticator authenticator;
    private final SubscriptionPolicy subscriptionPolicy;
    private final EventListener listener;
    private final ObjectMapper mapper;
    private final FrameCodec codec;
    private final Clock clock;
    private final ExecutorService handlers;
    private final ScheduledExecutorService timer;
    private final DefaultRegistry registry = new DefaultRegistry();
    private final Map<String, Handler<?>> eventHandlers = new ConcurrentHashMap<>();
    private final Map<String, Handler<?>> requestHandlers = new ConcurrentHashMap<>();
    private final Map<String, CloudEventHandler> cloudEventHandlers = new ConcurrentHashMap<>();
    private final List<ConnectHandler> connectHandlers = new CopyOnWriteArrayList<>();
    private final List<DisconnectHandler> disconnectHandlers = new CopyOnWriteArrayList<>();
    private final List<Interceptor> interceptors = new CopyOnWriteArrayList<>();
    private final AtomicLong connectionIds = new AtomicLong();
    private final AtomicLong rejectedMessages = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Set when a drain starts: new connections are refused from then on. */
    private volatile boolean draining;
    private final Object drainLock = new Object();
    private boolean drained; // guarded by drainLock
    private final Map<String, PlainEndpointAcceptor> plainEndpoints = new LinkedHashMap<>(); // guarded by itself
    private boolean plainEndpointsRead; // guarded by plainEndpoints
    private final EncodedFrame ping;
    private volatile CrudService crud;
    /** The CRUD operations' handlers, by reserved event; filled before {@link #crud} is set. */
    private final Map<String, Handler<?>> crudHandlers = new ConcurrentHashMap<>();
    private final Host host = new Host();
    private final Routes routes = new Routes();
    private final DurableTopics durable;
    private final Router router;
    private final ClusterView cluster;
    private final CloudEventsWire cloudEventsWire;
    private final EmitService emitService;
    private final Admission admission;
    private final dev.switchboard.spi.Tracing tracing;

    private DefaultSwitchboard(SwitchboardOptions options, Backplane backplane, Authenticator authenticator,
                               SubscriptionPolicy subscriptionPolicy, EventListener listener, ObjectMapper mapper,
                               Clock clock, ConnectionLimits limits, URI cloudEventSource, EmitOptions emitOptions,
                               dev.switchboard.spi.Tracing tracing, dev.switchboard.ClusterTrust trust) {
        this.options = options;
        this.tracing = tracing;
        this.backplane = new BackplanePipeline(backplane, options.onDuplicateNodeId(),
                listener::backplanePublishFailed, this::rejoined, trust);
        this.authenticator = authenticator;
        this.subscriptionPolicy = subscriptionPolicy;
        this.listener = listener;
        this.mapper = mapper;
        this.codec = new FrameCodec(mapper);
        this.clock = clock;
        this.handlers = HandlerExecutors.handlers(options.nodeId(), options.handlerThreads(), options.handlerQueue());
        this.timer = HandlerExecutors.timer(options.nodeId());
        this.ping = EncodedFrame.ofBytes(codec.encode(new Frame.Ping()));
        this.cloudEventsWire = new CloudEventsWire(mapper, cloudEventSource, clock);
        this.emitService = new DefaultEmitService(this::route, emitOptions, clock);
        this.admission = new Admission(limits, clock, registry::size, registry::userCount);
        History history = backplane.history().orElse(null);
        if (history == null) {
            if (!this.backplane.isLocalOnly()) {
                log.warn("Backplane {} has no history store: durable topics are kept per node and a client "
                        + "that moves to another node cannot be recovered", backplane.name());
            }
            history = new InMemoryHistory(clock);
        }
        this.durable = new DurableTopics(history, registry, codec, timer, clock, options.historyTimeout(),
                GAP_DELAY_MILLIS, options.historyCheckInterval());
        this.router = new Router(this.backplane, registry, durable, codec, new ClusterCodec(mapper),
                listener, rejectedMessages, this::onControlMessage, tracing);
        this.cluster = new ClusterView(this::nodeId, mapper, clock, timer, options.clusterHeartbeat().toMillis(),
                options.clusterQueryTimeout().toMillis(), this.backplane.isLocalOnly(), router::publish,
                router::publishTo, new LocalAnswers(), rejectedMessages, this.backplane.signer()::untrusted);
    }

    /** The {@code Retry-After} of an upgrade refused while draining: by then a balancer knows another node. */
    private static final java.time.Duration DRAINING_RETRY_AFTER = java.time.Duration.ofSeconds(2);
    /** The close reason of a drain. */
    static final String SERVICE_RESTART_REASON = "service restart";
    /** How long a drain waits for the clients' close handshakes after closing them. */
    private static final long CLOSE_HANDSHAKE_MILLIS = 2000;
    /** How often a drain looks whether requests are still in flight. */
    private static final long DRAIN_POLL_MILLIS = 20;

    /** How long a durable message waits for a missing predecessor before the gap is read from the history. */
    private static final long GAP_DELAY_MILLIS = 300;

    /**
     * A message from the backplane, on the pipeline's delivery thread: a large fan-out it starts is written
     * by the handler pool ({@link DeferredWrites}), so this thread goes on to the next message and the
     * messages that arrive meanwhile join the same writes.
     */
    private void onBackplaneMessage(byte[] bytes, boolean trusted) {
        DeferredWrites writes = DeferredWrites.begin();
        try {
            router.onBackplaneMessage(bytes, trusted);
        } finally {
            if (writes != null) {
                writes.end(null, handlers);
            }
        }
    }

    /**
     * Builds and starts a node; called by {@link Switchboard.Builder#build()}.
     *
     * @return the started node
     */
    public static DefaultSwitchboard start(SwitchboardOptions options, Backplane backplane, Authenticator authenticator,
                                           SubscriptionPolicy policy, EventListener listener, ObjectMapper mapper,
                                           Clock clock, ConnectionLimits limits, URI cloudEventSource,
                                           EmitOptions emitOptions, dev.switchboard.spi.Tracing tracing,
                                           dev.switchboard.ClusterTrust trust) {
        DefaultSwitchboard node = new DefaultSwitchboard(options, backplane, authenticator, policy, listener, mapper,
                clock, limits, cloudEventSource, emitOptions, tracing, trust);
        node.backplane.start(options.nodeId(), node::onBackplaneMessage);
        node.cluster.start();
        long hb = options.heartbeat().toMillis();
        node.timer.scheduleAtFixedRate(node::heartbeatTick, hb, hb, TimeUnit.MILLISECONDS);
        if (limits.handshakesPerSecondPerAddress() > 0) {
            node.timer.scheduleAtFixedRate(node.admission::sweep, 60, 60, TimeUnit.SECONDS);
        }
        log.info("Switchboard node {} started (backplane: {})", options.nodeId(), node.backplane.adapter().name());
        return node;
    }

    // ---- SessionAcceptor ----

    @Override
    public Identity authenticate(Handshake handshake) {
        return authenticate(handshake, () -> authenticator.authenticate(handshake));
    }

    /**
     * Authenticates within the node's connection limits: the handshake rate and counts before, the
     * user's count after; used by the JSON endpoint and by plain endpoints with their own authenticator.
     */
    Identity authenticate(Handshake handshake, java.util.function.Supplier<Identity> authenticate) {
        if (draining) {
            throw dev.switchboard.spi.HandshakeRefusedException.draining(DRAINING_RETRY_AFTER);
        }
        admission.beforeAuthentication(handshake);
        Identity identity = authenticate.get();
        identity = identity == null ? Identity.anonymous() : identity;
        admission.afterAuthentication(identity);
        return identity;
    }

    @Override
    public SessionHandler open(TransportSession session, Identity identity) {
        Objects.requireNonNull(session, "session");
        DefaultConnection conn = new DefaultConnection(nextConnectionId(),
                identity == null ? Identity.anonymous() : identity, session, host);
        if (draining) {
            // Raced past the handshake check with the drain: reconnect elsewhere, like the others.
            session.close(CloseCodes.SERVICE_RESTART, SERVICE_RESTART_REASON);
            return conn;
        }
        registry.add(conn);
        String surplus = admission.opened(session.handshake(), conn.identity());
        if (surplus != null) {
            // Raced past the handshake check with others: counted now, and refused.
            conn.terminate(CloseCodes.TRY_AGAIN_LATER, surplus);
            return conn;
        }
        Long expiresInMs = conn.watchExpiry();
        conn.send(EncodedFrame.ofBytes(codec.encode(new Frame.Welcome(conn.id(), nodeId(),
                options.heartbeat().toMillis(), options.maxFrameBytes(), expiresInMs))));
        listener.connectionOpened(conn);
        // Connect handlers run on the connection's serial executor, so they finish before the
        // connection's first emit is handled. With none, no task: a hand-off per connect saved.
        if (connectHandlers.isEmpty()) {
            return conn;
        }
        runSerial(conn, () -> {
            for (ConnectHandler h : connectHandlers) {
                try {
                    h.onConnect(conn);
                } catch (Exception e) {
                    log.error("Connect handler failed for {}", conn.id(), e);
                }
            }
        });
        return conn;
    }

    /**
     * Opens a connection of a plain endpoint: no welcome frame; the path variables go to its attributes,
     * then the endpoint's {@code onOpen} runs on the connection's serial executor.
     */
    SessionHandler openPlain(TransportSession session, Identity identity, PlainEndpointAcceptor endpoint) {
        Objects.requireNonNull(session, "session");
        DefaultConnection conn = new DefaultConnection(nextConnectionId(),
                identity == null ? Identity.anonymous() : identity, session, host, endpoint);
        if (draining) {
            // Raced past the handshake check with the drain: reconnect elsewhere, like the others.
            session.close(CloseCodes.SERVICE_RESTART, SERVICE_RESTART_REASON);
            return conn;
        }
        conn.attributes().putAll(endpoint.variables(session.handshake()));
        registry.add(conn);
        String surplus = admission.opened(session.handshake(), conn.identity());
        if (surplus != null) {
            conn.terminate(CloseCodes.TRY_AGAIN_LATER, surplus);
            return conn;
        }
        conn.watchExpiry();
        listener.connectionOpened(conn);
        runSerial(conn, () -> {
            try {
                endpoint.endpoint().onOpen().onConnect(conn);
            } catch (Exception e) {
                log.error("Open handler of {} failed for {}", endpoint, conn.id(), e);
            }
        });
        return conn;
    }

    private String nextConnectionId() {
        return "c-" + nodeId() + "-" + Long.toString(connectionIds.incrementAndGet(), 36);
    }

    @Override
    public Switchboard plainEndpoint(String path, PlainEndpoint endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        PathTemplate template = PathTemplate.of(Objects.requireNonNull(path, "path"));
        synchronized (plainEndpoints) {
            if (plainEndpointsRead) {
                throw new IllegalStateException("plain endpoint " + path + " registered after a transport started: "
                        + "register plain endpoints before starting the transport");
            }
            if (plainEndpoints.containsKey(path)) {
                throw new IllegalStateException("plain endpoint " + path + " is already registered");
            }
            plainEndpoints.put(path, new PlainEndpointAcceptor(template, endpoint, this));
        }
        return this;
    }

    @Override
    public Map<String, SessionAcceptor> plainEndpoints() {
        synchronized (plainEndpoints) {
            plainEndpointsRead = true;
            return Collections.unmodifiableMap(new LinkedHashMap<>(plainEndpoints));
        }
    }

    @Override
    public int maxFrameBytes() {
        return options.maxFrameBytes();
    }

    @Override
    public List<String> subProtocols() {
        return SUB_PROTOCOLS;
    }

    // ---- handlers ----

    @Override
    public Switchboard on(String event, EventHandler<JsonNode> handler) {
        return on(event, JsonNode.class, handler);
    }

    @Override
    public <T> Switchboard on(String event, Class<T> type, EventHandler<T> handler) {
        Objects.requireNonNull(handler, "handler");
        eventHandlers.put(Objects.requireNonNull(event, "event"), new Handler<>(event, type, handler, null, false, mapper));
        return this;
    }

    @Override
    public Switchboard onRequest(String event, RequestHandler<JsonNode> handler) {
        return onRequest(event, JsonNode.class, handler);
    }

    @Override
    public <T> Switchboard onRequest(String event, Class<T> type, RequestHandler<T> handler) {
        return onRequest(event, type, handler, Execution.POOLED);
    }

    @Override
    public <T> Switchboard onRequest(String event, Class<T> type, RequestHandler<T> handler, Execution execution) {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(execution, "execution");
        if (CrudService.operationOf(Objects.requireNonNull(event, "event")) != null) {
            // Silently replacing the CRUD service (or being replaced by it) is never what the app meant.
            throw new IllegalArgumentException("request event " + event + " is reserved for CRUD (GET, LIST, POST, "
                    + "PUT, PATCH, DELETE; docs/protocol.md): name the request otherwise, e.g. \"orders." + event
                    .toLowerCase(java.util.Locale.ROOT) + "\"");
        }
        requestHandlers.put(event,
                new Handler<>(event, type, null, handler, execution == Execution.INLINE, mapper));
        return this;
    }

    @Override
    public Switchboard onCloudEvent(String type, CloudEventHandler handler) {
        Objects.requireNonNull(type, "type");
        if (type.isEmpty()) {
            throw new IllegalArgumentException("type must not be empty");
        }
        cloudEventHandlers.put(type, Objects.requireNonNull(handler, "handler"));
        return this;
    }

    @Override
    public Optional<CloudEventHandler> cloudEventHandler(String type) {
        CloudEventHandler handler = cloudEventHandlers.get(Objects.requireNonNull(type, "type"));
        if (handler == null) {
            return Optional.empty();
        }
        // Runs under the event's trace context (the distributed-tracing extension), so its emits carry it on.
        return Optional.of(event -> {
            Object tp = event.getExtension("traceparent");
            Object ts = event.getExtension("tracestate");
            dev.switchboard.TraceContext parent = tp instanceof String s
                    ? dev.switchboard.TraceContext.parse(s, ts instanceof String t ? t : null).orElse(null) : null;
            try (TraceScope scope = TraceScope.open(tracing, dev.switchboard.spi.Tracing.Kind.CLOUD_EVENT_HANDLER,
                    type, parent)) {
                try {
                    handler.handle(event);
                } catch (Exception e) {
                    scope.failed(e);
                    throw e;
                }
            }
        });
    }

    @Override
    public EmitService emitService() {
        return emitService;
    }

    @Override
    public Switchboard onConnect(ConnectHandler handler) {
        connectHandlers.add(Objects.requireNonNull(handler, "handler"));
        return this;
    }

    @Override
    public Switchboard onDisconnect(DisconnectHandler handler) {
        disconnectHandlers.add(Objects.requireNonNull(handler, "handler"));
        return this;
    }

    @Override
    public Switchboard intercept(Interceptor interceptor) {
        interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
        return this;
    }

    @Override
    public Switchboard crud(String name, dev.switchboard.crud.Repository repository,
                            dev.switchboard.crud.CollectionOptions options) {
        crudService().register(name, repository, options);
        return this;
    }

    private synchronized CrudService crudService() {
        if (crud == null) {
            CrudService service = new CrudService(mapper, (topic, event, data, thisNodeOnly) -> {
                Emitter to = router.to(Audience.topic(topic));
                (thisNodeOnly ? to.local() : to).emit(event, data);
            });
            for (CrudOperation op : CrudOperation.values()) {
                // Pooled: repositories block.
                crudHandlers.put(op.name(), new Handler<>(op.name(), JsonNode.class, null,
                        (conn, data) -> service.handle(conn, op, data), false, mapper));
            }
            crud = service;
        }
        return crud;
    }

    // ---- routing ----

    @Override
    public Emitter to(Audience audience) {
        return router.to(audience);
    }

    /** The router's emitter for an audience; a method, so services made before the router can hold it. */
    private Emitter route(Audience audience) {
        return router.to(audience);
    }

    /** Hands a cluster control message (heartbeat, query, reply) of another node to the cluster view. */
    private void onControlMessage(ClusterMessage message) {
        try {
            handlers.execute(LogContext.wrap(() -> cluster.onMessage(message), nodeId(), null));
        } catch (RejectedExecutionException e) {
            log.debug("Cluster message dropped: node closing or busy");
        }
    }

    /** This node's answers to cluster queries. */
    private final class LocalAnswers implements ClusterView.LocalAnswers {
        @Override
        public long connectionCount() {
            return registry.size();
        }

        @Override
        public List<ConnectionInfo> connectionsOfUser(String userId) {
            return info(registry.resolve(Audience.user(userId)));
        }

        @Override
        public List<ConnectionInfo> connectionsInTopic(String topic) {
            return info(registry.topicMembers(topic));
        }

        private List<ConnectionInfo> info(Collection<DefaultConnection> connections) {
            List<ConnectionInfo> out = new ArrayList<>();
            for (DefaultConnection c : connections) {
                out.add(new ConnectionInfo(c.id(), nodeId(), c.identity().userId(), c.topicSet()));
            }
            return out;
        }
    }

    // ---- lookups ----

    @Override
    public Optional<Connection> connection(String id) {
        return Optional.ofNullable(registry.get(id));
    }

    @Override
    public Collection<Connection> connections() {
        return new ArrayList<>(registry.all());
    }

    @Override
    public int connectionCount() {
        return registry.size();
    }

    @Override
    public BackplaneHealth backplaneHealth() {
        return backplane.health();
    }

    @Override
    public Cluster cluster() {
        return cluster;
    }

    @Override
    public Switchboard durableTopic(String topicOrPattern, Retention retention) {
        durable.declare(topicOrPattern, retention);
        return this;
    }

    @Override
    public String nodeId() {
        String id = backplane.nodeId();
        return id != null ? id : options.nodeId();
    }

    @Override
    public SwitchboardOptions options() {
        return options;
    }

    @Override
    public ObjectMapper mapper() {
        return mapper;
    }

    // ---- heartbeat and lifecycle ----

    /**
     * Pings every connection and closes those silent for two heartbeat periods. Runs on the timer;
     * public so tests with a controlled {@link Clock} can drive it.
     */
    public void heartbeatTick() {
        long now = clock.millis();
        long limit = 2 * options.heartbeat().toMillis();
        for (DefaultConnection c : registry.all()) {
            if (c.state() != Connection.State.OPEN) {
                continue;
            }
            if (now - c.lastSeenMillis() >= limit && c.closesWhenSilent()) {
                log.debug("Closing {}: silent for {} ms", c.id(), now - c.lastSeenMillis());
                c.terminate(CloseCodes.HEARTBEAT_TIMEOUT, "heartbeat timeout");
            } else {
                c.heartbeat(ping);
            }
        }
    }

    private void connectionClosed(DefaultConnection conn, int code, String reason) {
        registry.remove(conn);
        admission.closed(conn.handshake());
        for (String topic : conn.topicSet()) {
            durable.left(topic);
        }
        listener.connectionClosed(conn, code);
        PlainEndpointAcceptor plain = conn.plain();
        if (plain != null) {
            runSerial(conn, () -> {
                try {
                    plain.endpoint().onClose().onDisconnect(conn, code, reason);
                } catch (Exception e) {
                    log.error("Close handler of {} failed for {}", plain, conn.id(), e);
                }
            });
            return;
        }
        if (disconnectHandlers.isEmpty()) {
            return;
        }
        runSerial(conn, () -> {
            for (DisconnectHandler h : disconnectHandlers) {
                try {
                    h.onDisconnect(conn, code, reason);
                } catch (Exception e) {
                    log.error("Disconnect handler failed for {}", conn.id(), e);
                }
            }
        });
    }

    private void runSerial(DefaultConnection conn, Runnable task) {
        try {
            conn.inboundExecutor().execute(task);
        } catch (RejectedExecutionException e) {
            log.warn("Handler pool rejected a lifecycle callback for {}", conn.id());
        }
    }

    @Override
    public void drain(java.time.Duration deadline) {
        Objects.requireNonNull(deadline, "deadline");
        if (deadline.isNegative()) {
            throw new IllegalArgumentException("deadline must be >= 0: " + deadline);
        }
        synchronized (drainLock) {
            if (drained) {
                return;
            }
            draining = true;
            long start = System.nanoTime();
            int busy = inFlight();
            log.info("Switchboard node {} draining: {} connection(s), {} frame(s) in flight, deadline {}",
                    options.nodeId(), registry.size(), busy, deadline);
            // Polled, not signalled: counting per connection keeps the hot path free of a shared counter.
            while (busy > 0 && System.nanoTime() - start < deadline.toNanos()) {
                try {
                    Thread.sleep(DRAIN_POLL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                busy = inFlight();
            }
            if (busy > 0) {
                log.warn("Switchboard node {}: {} frame(s) still in flight after {}; closing their connections",
                        options.nodeId(), busy, deadline);
            }
            closeAll(CloseCodes.SERVICE_RESTART, SERVICE_RESTART_REASON);
            drained = true;
        }
    }

    @Override
    public boolean isDraining() {
        return draining;
    }

    /** @return the frames received and not yet handled on every connection of this node */
    private int inFlight() {
        int n = 0;
        for (DefaultConnection c : registry.all()) {
            n += c.inFlight();
        }
        return n;
    }

    /** Closes every connection and waits a moment for the close handshakes, so disconnect handlers run. */
    private void closeAll(int code, String reason) {
        List<java.util.concurrent.CompletableFuture<Void>> closing = new ArrayList<>();
        for (DefaultConnection c : new ArrayList<>(registry.all())) {
            c.close(code, reason);
            closing.add(c.closedFuture());
        }
        try {
            java.util.concurrent.CompletableFuture.allOf(closing.toArray(new java.util.concurrent.CompletableFuture[0]))
                    .get(CLOSE_HANDSHAKE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.debug("Not every connection closed in time; going on anyway");
        }
    }

    @Override
    public void close() {
        if (closed.get()) {
            return;
        }
        drain(options.drainTimeout());
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (crud != null) {
            crud.close();
        }
        handlers.shutdown();
        try {
            handlers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Leave only now: what requests and disconnect handlers emitted went to the backplane first.
        cluster.close();
        timer.shutdown();
        backplane.close();
        log.info("Switchboard node {} closed", nodeId());
    }

    /** After a rejoin under a fresh id (duplicate node id): announce the new id at once. */
    private void rejoined(String freshId) {
        try {
            timer.execute(cluster::announce);
        } catch (RejectedExecutionException e) {
            log.debug("Node closing; not announcing {}", freshId);
        }
    }

    // ---- the ports of connections and their dispatchers ----

    /** Checks a client's fresh token (an {@code auth} frame) and moves the connection to its identity. */
    private Long refresh(DefaultConnection conn, String token) {
        Identity fresh = authenticator.refresh(conn.identity(), token);
        if (fresh == null) {
            throw dev.switchboard.spi.AuthenticationException.unauthorized("token refused");
        }
        conn.reidentify(fresh);
        return fresh.expiresAt() == null ? null : Math.max(0, fresh.expiresAt().toEpochMilli() - clock.millis());
    }

    /** The settings and tools every per-connection object reads. */
    private abstract class Context implements NodeContext {
        @Override
        public String nodeId() {
            return options.nodeId();
        }

        @Override
        public SwitchboardOptions options() {
            return options;
        }

        @Override
        public Clock clock() {
            return clock;
        }

        @Override
        public ScheduledExecutorService timer() {
            return timer;
        }

        @Override
        public EventListener listener() {
            return listener;
        }

        @Override
        public FrameCodec codec() {
            return codec;
        }

        @Override
        public ObjectMapper mapper() {
            return mapper;
        }

        @Override
        public dev.switchboard.spi.Tracing tracing() {
            return tracing;
        }
    }

    private final class Host extends Context implements ConnectionHost {
        @Override
        public ExecutorService handlerExecutor() {
            return handlers;
        }

        @Override
        public CloudEventsWire cloudEventsWire() {
            return cloudEventsWire;
        }

        @Override
        public Inbound inbound(DefaultConnection conn) {
            PlainEndpointAcceptor plain = conn.plain();
            return plain == null ? new InboundDispatcher(conn, routes) : new PlainInbound(conn, routes, plain.endpoint());
        }

        @Override
        public void join(DefaultConnection conn, String topic) {
            // A durable topic's stream exists before the connection is indexed, so no durable message
            // can reach it except through the stream (in order, past its cursor).
            durable.joining(topic);
            try {
                registry.join(conn, topic);
            } finally {
                durable.joinDone(topic);
            }
        }

        @Override
        public void leave(DefaultConnection conn, String topic) {
            registry.leave(conn, topic);
            durable.left(topic);
        }

        @Override
        public void reidentify(DefaultConnection conn, Identity before, Identity after) {
            registry.reidentify(conn, before, after);
        }

        @Override
        public void closed(DefaultConnection conn, int code, String reason) {
            connectionClosed(conn, code, reason);
        }
    }

    private final class Routes extends Context implements InboundRoutes {
        @Override
        public Handler<?> eventHandler(String event) {
            return eventHandlers.get(event);
        }

        @Override
        public Handler<?> requestHandler(String event) {
            // The reserved events never reach the application's map (onRequest refuses them), so this
            // order only matters for speed: an app's request is one failed lookup away.
            Handler<?> crudHandler = crud == null ? null : crudHandlers.get(event);
            return crudHandler != null ? crudHandler : requestHandlers.get(event);
        }

        @Override
        public List<Interceptor> interceptors() {
            return interceptors;
        }

        @Override
        public boolean canSubscribe(Connection conn, String topic) {
            CrudService c = crud;
            // The app's policy, widened by the collections' change topics their authorizers open.
            return (c != null && c.canSubscribe(conn, topic)) || subscriptionPolicy.canSubscribe(conn, topic);
        }

        @Override
        public Retention retention(String topic) {
            return durable.retention(topic);
        }

        @Override
        public java.util.concurrent.CompletableFuture<DurableTopics.Recovery> recover(String topic, Retention retention,
                                                                                      StreamPosition since) {
            return durable.recover(topic, retention, since);
        }

        @Override
        public Long refresh(DefaultConnection conn, String token) {
            return DefaultSwitchboard.this.refresh(conn, token);
        }
    }
}
