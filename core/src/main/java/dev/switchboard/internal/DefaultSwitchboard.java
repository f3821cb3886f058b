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
import dev.switchboard.Connection;
import dev.switchboard.DisconnectHandler;
import dev.switchboard.Emitter;
import dev.switchboard.ErrorCode;
import dev.switchboard.EventHandler;
import dev.switchboard.EventListener;
import dev.switchboard.Execution;
import dev.switchboard.Identity;
import dev.switchboard.Interceptor;
import dev.switchboard.RequestHandler;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.SwitchboardOptions;
import dev.switchboard.protocol.Frame;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.spi.Authenticator;
import dev.switchboard.spi.Backplane;
import dev.switchboard.spi.BackplaneHealth;
import dev.switchboard.spi.EncodedFrame;
import dev.switchboard.spi.Handshake;
import dev.switchboard.spi.SessionHandler;
import dev.switchboard.spi.SubscriptionPolicy;
import dev.switchboard.spi.TransportSession;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
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

/** The node: handlers, registry, router, heartbeat and backplane wiring. */
public final class DefaultSwitchboard implements Switchboard {
    private static final Logger log = LoggerFactory.getLogger(DefaultSwitchboard.class);
    private static final List<String> SUB_PROTOCOLS = List.of("switchboard.v1");

    private final SwitchboardOptions options;
    private final Backplane backplane;
    private final Authenticator authenticator;
    private final SubscriptionPolicy subscriptionPolicy;
    private final EventListener listener;
    private final ObjectMapper mapper;
    private final FrameCodec codec;
    private final ClusterCodec clusterCodec;
    private final Clock clock;
    private final ExecutorService handlers;
    private final ScheduledExecutorService timer;
    private final DefaultRegistry registry = new DefaultRegistry();
    private final Map<String, Handler<?>> eventHandlers = new ConcurrentHashMap<>();
    private final Map<String, Handler<?>> requestHandlers = new ConcurrentHashMap<>();
    private final List<ConnectHandler> connectHandlers = new CopyOnWriteArrayList<>();
    private final List<DisconnectHandler> disconnectHandlers = new CopyOnWriteArrayList<>();
    private final List<Interceptor> interceptors = new CopyOnWriteArrayList<>();
    private final AtomicLong connectionIds = new AtomicLong();
    private final AtomicLong rejectedMessages = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final EncodedFrame ping;
    private volatile dev.switchboard.crud.internal.CrudService crud;
    private final DurableTopics durable;
    private final ClusterView cluster;

    private DefaultSwitchboard(SwitchboardOptions options, Backplane backplane, Authenticator authenticator,
                               SubscriptionPolicy subscriptionPolicy, EventListener listener, ObjectMapper mapper,
                               Clock clock) {
        this.options = options;
        this.backplane = backplane;
        this.authenticator = authenticator;
        this.subscriptionPolicy = subscriptionPolicy;
        this.listener = listener;
        this.mapper = mapper;
        this.codec = new FrameCodec(mapper);
        this.clusterCodec = new ClusterCodec(mapper);
        this.clock = clock;
        this.handlers = HandlerExecutors.handlers(options.nodeId(), options.handlerThreads(), options.handlerQueue());
        this.timer = HandlerExecutors.timer(options.nodeId());
        this.ping = EncodedFrame.ofBytes(codec.encode(new Frame.Ping()));
        History history = backplane.history().orElse(null);
        if (history == null) {
            if (!backplane.isLocalOnly()) {
                log.warn("Backplane {} has no history store: durable topics are kept per node and a client "
                        + "that moves to another node cannot be recovered", backplane.health().name());
            }
            history = new InMemoryHistory(clock);
        }
        this.durable = new DurableTopics(history, registry, codec, timer, clock, options.historyTimeout(),
                GAP_DELAY_MILLIS);
        this.cluster = new ClusterView(options.nodeId(), mapper, clock, timer, options.clusterHeartbeat().toMillis(),
                options.clusterQueryTimeout().toMillis(), backplane.isLocalOnly(), this::publish,
                (node, message) -> publishTo(node, message), new LocalAnswers(), rejectedMessages);
    }

    /** How long a durable message waits for a missing predecessor before the gap is read from the history. */
    private static final long GAP_DELAY_MILLIS = 300;

    /**
     * Builds and starts a node; called by {@link Switchboard.Builder#build()}.
     *
     * @return the started node
     */
    public static DefaultSwitchboard start(SwitchboardOptions options, Backplane backplane, Authenticator authenticator,
                                           SubscriptionPolicy policy, EventListener listener, ObjectMapper mapper,
                                           Clock clock) {
        DefaultSwitchboard node = new DefaultSwitchboard(options, backplane, authenticator, policy, listener, mapper,
                clock);
        backplane.start(options.nodeId(), node::onBackplaneMessage);
        node.cluster.start();
        long hb = options.heartbeat().toMillis();
        node.timer.scheduleAtFixedRate(node::heartbeatTick, hb, hb, TimeUnit.MILLISECONDS);
        log.info("Switchboard node {} started (backplane: {})", options.nodeId(), backplane.health().name());
        return node;
    }

    // ---- SessionAcceptor ----

    @Override
    public Identity authenticate(Handshake handshake) {
        Identity identity = authenticator.authenticate(handshake);
        return identity == null ? Identity.anonymous() : identity;
    }

    @Override
    public SessionHandler open(TransportSession session, Identity identity) {
        Objects.requireNonNull(session, "session");
        String id = "c-" + options.nodeId() + "-" + Long.toString(connectionIds.incrementAndGet(), 36);
        DefaultConnection conn = new DefaultConnection(id, identity == null ? Identity.anonymous() : identity,
                session, this);
        if (closed.get()) {
            session.close(CloseCodes.GOING_AWAY, "server shutting down");
            return conn;
        }
        registry.add(conn);
        conn.send(EncodedFrame.ofBytes(codec.encode(new Frame.Welcome(id, options.nodeId(),
                options.heartbeat().toMillis(), options.maxFrameBytes()))));
        listener.connectionOpened(conn);
        // Connect handlers run on the connection's serial executor, so they finish before the
        // connection's first emit is handled.
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
        eventHandlers.put(Objects.requireNonNull(event, "event"), new Handler<>(event, type, handler, null, false));
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
        requestHandlers.put(Objects.requireNonNull(event, "event"),
                new Handler<>(event, type, null, handler, execution == Execution.INLINE));
        return this;
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

    private synchronized dev.switchboard.crud.internal.CrudService crudService() {
        if (crud == null) {
            crud = new dev.switchboard.crud.internal.CrudService(this);
        }
        return crud;
    }

    // ---- routing ----

    @Override
    public Emitter to(Audience audience) {
        return new DefaultEmitter(Objects.requireNonNull(audience, "audience"), false);
    }

    private final class DefaultEmitter implements Emitter {
        private final Audience audience;
        private final boolean localOnly;

        DefaultEmitter(Audience audience, boolean localOnly) {
            this.audience = audience;
            this.localOnly = localOnly;
        }

        @Override
        public int emit(String event, Object data) {
            Objects.requireNonNull(event, "event");
            String topic = singleTopic(audience);
            Retention retention = localOnly || !audience.exceptConnections().isEmpty()
                    || !audience.exceptUsers().isEmpty() ? null : durable.retention(topic);
            if (retention != null) {
                return emitDurable(event, topic, retention, data);
            }
            byte[] frame = codec.encodeEvent(event, topic, null, data);
            int local = deliverLocally(audience, EncodedFrame.ofBytes(frame));
            if (!localOnly && !backplane.isLocalOnly()) {
                publish(new ClusterMessage.Routed(options.nodeId(), audience, frame, false, null));
            }
            listener.messageRouted(event, local);
            return local;
        }

        /** Appends to the history, then delivers in offset order here and routes to the other nodes. */
        private int emitDurable(String event, String topic, Retention retention, Object data) {
            DurableTopics.Appended a = durable.append(topic, retention, codec.encodeEvent(event, topic, null, data));
            StreamPosition p = a.position();
            int local = durable.deliver(topic, p.epoch(), p.offset(), EncodedFrame.ofBytes(a.frame()))
                    ? registry.topicSize(topic) : 0;
            if (!backplane.isLocalOnly()) {
                publish(new ClusterMessage.Routed(options.nodeId(), audience, a.frame(), false,
                        new ClusterMessage.Durable(topic, p.epoch(), p.offset())));
            }
            listener.messageRouted(event, local);
            return local;
        }

        @Override
        public dev.switchboard.PreparedMessage prepare(String event, Object data) {
            Objects.requireNonNull(event, "event");
            if (durable.retention(singleTopic(audience)) != null) {
                throw new UnsupportedOperationException("a prepared message cannot go to durable topic \""
                        + singleTopic(audience) + "\": its offset is assigned when it is published");
            }
            byte[] frame = codec.encodeEvent(event, singleTopic(audience), null, data);
            return new dev.switchboard.PreparedMessage(event,
                    clusterCodec.encode(new ClusterMessage.Routed(options.nodeId(), audience, frame, true, null)));
        }

        @Override
        public Emitter local() {
            return new DefaultEmitter(audience, true);
        }
    }

    /** @return the topic when the audience is exactly one topic (event frames then name it), else null */
    private static String singleTopic(Audience audience) {
        return audience.topics().size() == 1 && audience.users().isEmpty()
                && audience.connections().isEmpty() && audience.organisations().isEmpty()
                && audience.roles().isEmpty() && !audience.broadcast()
                ? audience.topics().iterator().next() : null;
    }

    private int deliverLocally(Audience audience, EncodedFrame frame) {
        int n = 0;
        for (DefaultConnection c : registry.resolve(audience)) {
            if (c.send(frame) == dev.switchboard.SendResult.QUEUED) {
                n++;
            }
        }
        return n;
    }

    private void publish(ClusterMessage message) {
        try {
            backplane.publish(clusterCodec.encode(message));
        } catch (RuntimeException e) {
            listener.backplanePublishFailed(e);
            log.warn("Backplane publish failed: {}", e.toString());
        }
    }

    private void publishTo(String node, ClusterMessage message) {
        try {
            backplane.publish(node, clusterCodec.encode(message));
        } catch (RuntimeException e) {
            listener.backplanePublishFailed(e);
            log.debug("Backplane publish to {} failed: {}", node, e.toString());
        }
    }

    private void onBackplaneMessage(byte[] bytes) {
        ClusterMessage message;
        try {
            message = clusterCodec.decode(bytes);
        } catch (ClusterCodec.UnsupportedVersionException e) {
            rejectedMessages.incrementAndGet();
            log.warn("Ignoring a backplane message this node does not speak: {}", e.getMessage());
            return;
        } catch (Exception e) {
            rejectedMessages.incrementAndGet();
            log.warn("Ignoring a backplane message that is not a cluster message: {}", e.toString());
            return;
        }
        if (options.nodeId().equals(message.from()) && !(message instanceof ClusterMessage.Routed r0 && r0.echo())) {
            return;
        }
        if (message instanceof ClusterMessage.Routed r) {
            ClusterMessage.Durable d = r.durable();
            if (d != null && durable.retention(d.topic()) != null) {
                // Only through the topic's stream: it orders by offset, and new members' cursors hold
                // messages back until their recovery is sent. No stream: nobody here listens.
                durable.deliver(d.topic(), d.epoch(), d.offset(), EncodedFrame.ofBytes(r.frame()));
            } else {
                deliverLocally(r.audience(), EncodedFrame.ofBytes(r.frame()));
            }
        } else {
            try {
                handlers.execute(() -> cluster.onMessage(message));
            } catch (RejectedExecutionException e) {
                log.debug("Cluster message dropped: node closing or busy");
            }
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
                out.add(new ConnectionInfo(c.id(), options.nodeId(), c.identity().userId(), c.topicSet()));
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
        return options.nodeId();
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
            if (now - c.lastSeenMillis() >= limit) {
                log.debug("Closing {}: silent for {} ms", c.id(), now - c.lastSeenMillis());
                c.terminate(CloseCodes.HEARTBEAT_TIMEOUT, "heartbeat timeout");
            } else {
                c.send(ping);
            }
        }
    }

    void connectionClosed(DefaultConnection conn, int code, String reason) {
        registry.remove(conn);
        for (String topic : conn.topicSet()) {
            durable.left(topic);
        }
        listener.connectionClosed(conn, code);
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
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<java.util.concurrent.CompletableFuture<Void>> closing = new ArrayList<>();
        for (DefaultConnection c : new ArrayList<>(registry.all())) {
            c.close(CloseCodes.GOING_AWAY, "server shutting down");
            closing.add(c.closedFuture());
        }
        // Give peers a moment to complete the close handshake, so disconnect handlers still run.
        try {
            java.util.concurrent.CompletableFuture.allOf(closing.toArray(new java.util.concurrent.CompletableFuture[0]))
                    .get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.debug("Not every connection closed in time; closing the node anyway");
        }
        if (crud != null) {
            crud.close();
        }
        cluster.close();
        timer.shutdown();
        handlers.shutdown();
        try {
            handlers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        backplane.close();
        log.info("Switchboard node {} closed", options.nodeId());
    }

    // ---- internals for connections ----

    Clock clock() {
        return clock;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    ExecutorService handlerExecutor() {
        return handlers;
    }

    EventListener listener() {
        return listener;
    }

    FrameCodec codec() {
        return codec;
    }

    DefaultRegistry registry() {
        return registry;
    }

    DurableTopics durable() {
        return durable;
    }

    /** The app's policy, widened by the collections' change topics their authorizers open. */
    SubscriptionPolicy subscriptionPolicy() {
        dev.switchboard.crud.internal.CrudService c = crud;
        if (c == null) {
            return subscriptionPolicy;
        }
        return (conn, topic) -> c.canSubscribe(conn, topic) || subscriptionPolicy.canSubscribe(conn, topic);
    }

    List<Interceptor> interceptors() {
        return interceptors;
    }

    Handler<?> eventHandler(String event) {
        return eventHandlers.get(event);
    }

    Handler<?> requestHandler(String event) {
        return requestHandlers.get(event);
    }

    /** A registered handler with the conversion of its data. */
    final class Handler<T> {
        private final String event;
        private final Class<T> type;
        private final EventHandler<T> onEmit;
        private final RequestHandler<T> onRequest;
        private final boolean inline;

        Handler(String event, Class<T> type, EventHandler<T> onEmit, RequestHandler<T> onRequest, boolean inline) {
            this.event = event;
            this.type = Objects.requireNonNull(type, "type");
            this.onEmit = onEmit;
            this.onRequest = onRequest;
            this.inline = inline;
        }

        /** @return true when the handler runs on the thread that read the request */
        boolean inline() {
            return inline;
        }

        void invokeEmit(Connection c, JsonNode data) throws Exception {
            onEmit.handle(c, convert(data));
        }

        Object invokeRequest(Connection c, JsonNode data) throws Exception {
            return onRequest.handle(c, convert(data));
        }

        private T convert(JsonNode data) {
            JsonNode d = data == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : data;
            if (type == JsonNode.class) {
                return type.cast(d);
            }
            try {
                return mapper.treeToValue(d, type);
            } catch (Exception e) {
                throw new SwitchboardException(ErrorCode.BAD_REQUEST,
                        "data of \"" + event + "\" is not a valid " + type.getSimpleName());
            }
        }
    }
}
