package dev.switchboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.backplane.LocalBackplane;
import dev.switchboard.internal.DefaultSwitchboard;
import dev.switchboard.spi.Authenticator;
import dev.switchboard.spi.Backplane;
import dev.switchboard.spi.BackplaneHealth;
import dev.switchboard.spi.SessionAcceptor;
import dev.switchboard.spi.SubscriptionPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

/**
 * One node of a Switchboard system: the entry point for the host application.
 *
 * <pre>{@code
 * Switchboard board = Switchboard.builder().authenticator(myAuthenticator).build();
 * board.onConnect(conn -> conn.join("lobby"));
 * board.on("chat.send", String.class, (conn, text) ->
 *     board.to(Audience.topic("lobby")).emit("chat.message", conn.identity().name() + ": " + text));
 * board.onRequest("echo", (conn, data) -> data);
 * JettyTransport.start(board, JettyTransportOptions.builder().port(8080).build());
 * }</pre>
 *
 * <p>Lifecycle: a node built by {@link Builder#build()} is started (its backplane connected, its
 * heartbeat running); a transport then feeds it connections. {@link #drain(Duration)} stops taking new
 * connections, lets requests in flight finish and closes every connection with 1012 (service restart);
 * {@link #close()} drains (unless that was done) and then leaves the cluster and stops the backplane.
 * Register handlers before connections arrive. All methods are thread-safe.
 */
public interface Switchboard extends SessionAcceptor, AutoCloseable {

    /** @return a builder with the defaults: local backplane, anonymous clients, subscriptions denied */
    static Builder builder() {
        return new Builder();
    }

    /** @return this node's id */
    String nodeId();

    /** @return the options this node was built with */
    SwitchboardOptions options();

    /** @return the JSON mapper used for event data */
    ObjectMapper mapper();

    /**
     * Registers the handler for client {@code emit}s of an event, receiving the raw JSON data.
     *
     * @param event the event name
     * @param handler the handler, replacing any earlier one
     * @return this
     */
    Switchboard on(String event, EventHandler<JsonNode> handler);

    /**
     * Registers the handler for client {@code emit}s of an event, converting the data.
     *
     * @param event the event name
     * @param type the type the data is converted to with {@link #mapper()}; bad data gets {@code bad_request}
     * @param handler the handler
     * @param <T> the data type
     * @return this
     */
    <T> Switchboard on(String event, Class<T> type, EventHandler<T> handler);

    /**
     * Registers the handler for client {@code request}s of an event.
     *
     * @param event the event name
     * @param handler returns the reply data
     * @return this
     * @throws IllegalArgumentException for an event reserved for CRUD ({@code GET LIST POST PUT PATCH DELETE})
     */
    Switchboard onRequest(String event, RequestHandler<JsonNode> handler);

    /**
     * Registers the handler for client {@code request}s of an event, converting the data.
     *
     * @param event the event name
     * @param type the type the data is converted to; bad data gets {@code bad_request}
     * @param handler returns the reply data
     * @param <T> the data type
     * @return this
     * @throws IllegalArgumentException for an event reserved for CRUD ({@code GET LIST POST PUT PATCH DELETE})
     */
    <T> Switchboard onRequest(String event, Class<T> type, RequestHandler<T> handler);

    /**
     * Registers the handler for client {@code request}s of an event, converting the data, run where
     * {@code execution} says: {@link Execution#INLINE} for handlers that never block.
     *
     * @param event the event name
     * @param type the type the data is converted to; bad data gets {@code bad_request}
     * @param handler returns the reply data (or a {@code CompletionStage} of it)
     * @param execution where the handler runs
     * @param <T> the data type
     * @return this
     * @throws IllegalArgumentException for an event reserved for CRUD ({@code GET LIST POST PUT PATCH DELETE})
     */
    <T> Switchboard onRequest(String event, Class<T> type, RequestHandler<T> handler, Execution execution);

    /**
     * Registers the handler for incoming CloudEvents of one type, from {@code POST /events} or any other
     * source that dispatches through {@link #cloudEventHandler(String)}.
     *
     * <pre>{@code
     * board.onCloudEvent("order.created", event -> {
     *     OrderCreated order = CloudEventJson.data(event, OrderCreated.class, board.mapper());
     *     board.to(Audience.user(order.customerId())).emit("order.enriched", enrich(order));
     * });
     * }</pre>
     *
     * <p>Events sent by {@code cloudevents.json} WebSocket clients are not CloudEvent handlers' business:
     * they reach the {@link #on(String, EventHandler)} handler of their type, like any client emit.
     *
     * @param type the exact CloudEvents {@code type}, e.g. {@code order.created}
     * @param handler the handler, replacing any earlier one for the type
     * @return this
     */
    Switchboard onCloudEvent(String type, dev.switchboard.cloudevents.CloudEventHandler handler);

    /**
     * @param type a CloudEvents {@code type}
     * @return the handler registered for it, if any; event sources use it to dispatch (and to answer
     *     "nobody handles this type", e.g. HTTP 404)
     */
    Optional<dev.switchboard.cloudevents.CloudEventHandler> cloudEventHandler(String type);

    /**
     * @return this node's emit service: routes messages from other services (the body of
     *     {@code POST /api/emit}) once per id within its de-duplication window; shared by every source
     *     of such messages on this node
     */
    dev.switchboard.emit.EmitService emitService();

    /** @param handler called for every new connection @return this */
    Switchboard onConnect(ConnectHandler handler);

    /** @param handler called once for every closed connection @return this */
    Switchboard onDisconnect(DisconnectHandler handler);

    /** @param interceptor runs before every emit and request handler, in registration order @return this */
    Switchboard intercept(Interceptor interceptor);

    /**
     * Exposes a repository over the socket as collection {@code name} with the default options: the
     * protocol's {@code GET LIST POST PUT PATCH DELETE} requests, and {@code ADDED / MODIFIED / DELETED}
     * events on topic {@code collection:<name>}, which clients may subscribe to.
     *
     * @param name the collection name (no ':')
     * @param repository its storage
     * @return this
     */
    default Switchboard crud(String name, dev.switchboard.crud.Repository repository) {
        return crud(name, repository, dev.switchboard.crud.CollectionOptions.defaults());
    }

    /**
     * Exposes a repository over the socket as collection {@code name}.
     *
     * @param name the collection name (no ':')
     * @param repository its storage
     * @param options queryable fields, page sizes, validation, authorisation, change feed
     * @return this
     * @throws IllegalStateException if the name is already registered
     */
    Switchboard crud(String name, dev.switchboard.crud.Repository repository,
                     dev.switchboard.crud.CollectionOptions options);

    /**
     * Mounts a plain WebSocket endpoint: clients that send and receive bare text frames, such as a page
     * doing {@code new WebSocket("ws://host/chat/Alice?age=20")}, as ordinary connections of this node
     * (topics, audiences, backplanes, limits). See {@link PlainEndpoint} for what differs from the
     * protocol endpoint. Transports mount the node's plain endpoints when they start (they read
     * {@link #plainEndpoints()}), so register them before starting a transport.
     *
     * @param path the endpoint's path or URI template, e.g. {@code /chat/{name}}; must differ from the
     *     transport's protocol path
     * @param endpoint its callbacks and renderer
     * @return this
     * @throws IllegalArgumentException when the path is not a valid template
     * @throws IllegalStateException when the path is already mounted, or a transport has already read
     *     this node's plain endpoints
     */
    Switchboard plainEndpoint(String path, PlainEndpoint endpoint);

    /**
     * @param audience who to send to
     * @return an emitter for that audience, on this node and every other
     */
    Emitter to(Audience audience);

    /** @param id a connection id @return the connection if it is open on this node */
    Optional<Connection> connection(String id);

    /** @return the open connections on this node (a snapshot) */
    Collection<Connection> connections();

    /** @return how many connections are open on this node */
    int connectionCount();

    /** @return the backplane's health */
    BackplaneHealth backplaneHealth();

    /** @return the cluster as this node sees it: live nodes and cluster-wide queries */
    Cluster cluster();

    /**
     * Declares durable topics: every event routed to exactly such a topic (audience
     * {@code Audience.topic(name)}, without {@code except}) is first appended to the backplane's history
     * store and carries an {@code offset}; a client that subscribes with {@code since} gets what it
     * missed, in order, then live events, with no gap and no duplicate — or {@code recovered:false}
     * when the history no longer reaches back. A last-value topic ({@link Retention#lastValue()}) sends
     * its latest message to every new subscriber at once.
     *
     * <p>Emits to a durable topic wait for the history store (at most
     * {@link SwitchboardOptions#historyTimeout()}) and throw {@link BackplaneException} when it fails;
     * node-local emits ({@link Emitter#local()}) are not durable. Declare durable topics on every node,
     * before clients subscribe.
     *
     * @param topicOrPattern a topic name, or a prefix ending with {@code *} ({@code "orders:*"}); the
     *     longest matching prefix wins, an exact name before any prefix
     * @param retention how much history to keep
     * @return this
     */
    Switchboard durableTopic(String topicOrPattern, Retention retention);

    /**
     * Drains the node for a graceful shutdown, and blocks until it is done:
     * <ol>
     *   <li>new WebSocket upgrades are refused with 503 and {@code Retry-After} (the transports' health
     *       check reports {@code DRAINING} with 503, so a readiness probe takes the node out);</li>
     *   <li>requests, emits and subscribes already received keep running, and the connections keep
     *       getting events, until none is in flight or {@code deadline} has passed;</li>
     *   <li>every connection is closed with 1012 ("service restart"): the shipped clients reconnect,
     *       at a jittered delay, to another node and resume their durable topics; the close handshakes
     *       are awaited for at most 2 s more, so disconnect handlers run.</li>
     * </ol>
     * The node stays in the cluster, routing and serving HTTP, until {@link #close()}: what the
     * requests and disconnect handlers emitted reaches the other nodes. Calling it again, or after
     * {@link #close()}, returns at once.
     *
     * @param deadline how long requests in flight may take; {@link Duration#ZERO} closes at once
     */
    void drain(Duration deadline);

    /** @return true once {@link #drain} or {@link #close()} started: new connections are refused */
    boolean isDraining();

    /**
     * Drains ({@link #drain} with {@link SwitchboardOptions#drainTimeout()}) unless that was done, then
     * tells the other nodes it leaves, stops handlers and the backplane. Idempotent.
     */
    @Override
    void close();

    /** Builds and starts a {@link Switchboard}. */
    final class Builder {
        private SwitchboardOptions options = SwitchboardOptions.defaults();
        private Backplane backplane;
        private Authenticator authenticator = Authenticator.anonymous();
        private SubscriptionPolicy subscriptionPolicy = SubscriptionPolicy.denyAll();
        private EventListener eventListener = EventListener.NONE;
        private ObjectMapper mapper;
        private Clock clock = Clock.systemUTC();
        private java.net.URI cloudEventSource = java.net.URI.create("/switchboard");
        private dev.switchboard.emit.EmitOptions emitOptions = dev.switchboard.emit.EmitOptions.defaults();
        private ConnectionLimits connectionLimits = ConnectionLimits.none();
        private dev.switchboard.spi.Tracing tracing = dev.switchboard.spi.Tracing.NONE;
        private ClusterTrust clusterTrust = ClusterTrust.none();

        private Builder() {
        }

        /**
         * @param source the CloudEvents {@code source} of events routed without one, as
         *     {@code cloudevents.json} clients see them (default {@code /switchboard}; give every node of a
         *     cluster the same)
         * @return this
         * @throws IllegalArgumentException when it is empty or not a URI reference
         */
        public Builder cloudEventSource(String source) {
            Objects.requireNonNull(source, "source");
            if (source.isEmpty()) {
                throw new IllegalArgumentException("cloudEventSource must not be empty");
            }
            this.cloudEventSource = java.net.URI.create(source);
            return this;
        }

        /**
         * @param trust the shared keys with which the nodes sign and verify every backplane message (default
         *     {@link ClusterTrust#none()}: unsigned, as before); give every node of a cluster the same
         * @return this
         */
        public Builder clusterTrust(ClusterTrust trust) {
            this.clusterTrust = Objects.requireNonNull(trust, "trust");
            return this;
        }

        /** @param options the emit service's settings (default {@link dev.switchboard.emit.EmitOptions#defaults()}) @return this */
        public Builder emitOptions(dev.switchboard.emit.EmitOptions options) {
            this.emitOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /** @param options the node's settings (default {@link SwitchboardOptions#defaults()}) @return this */
        public Builder options(SwitchboardOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /** @param backplane how nodes reach each other (default {@link LocalBackplane}) @return this */
        public Builder backplane(Backplane backplane) {
            this.backplane = Objects.requireNonNull(backplane, "backplane");
            return this;
        }

        /** @param authenticator handshake → identity (default: everyone anonymous) @return this */
        public Builder authenticator(Authenticator authenticator) {
            this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
            return this;
        }

        /** @param policy which client subscriptions are allowed (default: none) @return this */
        public Builder subscriptionPolicy(SubscriptionPolicy policy) {
            this.subscriptionPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** @param listener observability hook (default: none) @return this */
        public Builder eventListener(EventListener listener) {
            this.eventListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** @param mapper the JSON mapper for event data (default: a plain {@link ObjectMapper}) @return this */
        public Builder mapper(ObjectMapper mapper) {
            this.mapper = Objects.requireNonNull(mapper, "mapper");
            return this;
        }

        /** @param clock the clock for heartbeats and rate limits (default: system UTC) @return this */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param limits connections in total, per user and per address, handshakes per second per address,
         *     refused with 429/503 before the upgrade (default {@link ConnectionLimits#none()})
         * @return this
         */
        public Builder connectionLimits(ConnectionLimits limits) {
            this.connectionLimits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * @param tracing spans around handlers and emits, e.g. {@code OtelTracing.create(openTelemetry)} from
         *     {@code switchboard-tracing-otel} (default {@link dev.switchboard.spi.Tracing#NONE}: W3C trace context
         *     is still carried from what comes in to what goes out, without spans)
         * @return this
         */
        public Builder tracing(dev.switchboard.spi.Tracing tracing) {
            this.tracing = Objects.requireNonNull(tracing, "tracing");
            return this;
        }

        /** @return a started node */
        public Switchboard build() {
            return DefaultSwitchboard.start(options, backplane == null ? new LocalBackplane() : backplane,
                    authenticator, subscriptionPolicy, eventListener,
                    mapper == null ? new ObjectMapper() : mapper, clock, connectionLimits, cloudEventSource,
                    emitOptions, tracing, clusterTrust);
        }
    }
}
