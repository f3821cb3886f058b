package dev.switchboard.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * Settings of a {@link SwitchboardClient}. Immutable and validated at construction; build with
 * {@link #builder(URI)} or take the defaults with {@link #of(URI)}:
 *
 * <pre>{@code
 * ClientOptions options = ClientOptions.builder(URI.create("ws://localhost:8080/ws"))
 *     .token(jwt)
 *     .requestTimeout(Duration.ofSeconds(5))
 *     .build();
 * }</pre>
 *
 * <p>The components whose default is "created by the client" are {@code null} here; the client then
 * creates its own and shuts it down when it closes. Options can therefore be reused for many clients.
 *
 * @param uri the WebSocket endpoint, {@code ws://} or {@code wss://}, e.g. {@code ws://host:8080/ws}
 * @param token sent as {@code Authorization: Bearer <token>}; {@code null} (the default) for none
 * @param headers extra headers for the upgrade request (default none); must not include
 *     {@code Authorization} when a token is set, nor headers the JDK reserves ({@code Connection},
 *     {@code Upgrade}, {@code Host}, {@code Sec-WebSocket-*}), which make {@code connect} fail
 * @param subProtocols the sub-protocols to offer, most preferred first (default {@code switchboard.v1});
 *     may be empty
 * @param requestTimeout timeout of requests, subscribes and unsubscribes that name none (default 10 s)
 * @param connectTimeout how long one connection attempt may take, from opening the TCP connection to
 *     receiving the {@code welcome} frame (default 10 s)
 * @param closeTimeout how long {@link SwitchboardClient#close()} waits for the server's close frame
 *     before dropping the connection (default 5 s)
 * @param reconnect whether a lost connection is re-opened automatically (default {@code true})
 * @param reconnectInitialDelay the backoff cap of the first reconnect attempt (default 250 ms)
 * @param reconnectMaxDelay the largest backoff cap (default 10 s)
 * @param reconnectMultiplier how much the cap grows per failed attempt (default 2.0); the delay is
 *     drawn uniformly from {@code [0, cap]} ("full jitter")
 * @param restartDelay after the server closed the connection with 1012 (service restart: the node is
 *     draining for a shutdown), the first reconnect waits a delay drawn uniformly from {@code [0,
 *     restartDelay]}, so that the draining node's clients spread over the other nodes instead of arriving
 *     at once (default 2 s; positive). Later attempts use the backoff above
 * @param maxReconnectAttempts attempts after which the client gives up and closes; {@code 0} (the
 *     default) for no limit
 * @param maxQueuedFrames how many requests and emits may wait for a reconnect (default 1000); past
 *     that, new ones fail at once with {@link dev.switchboard.ConnectionClosedException}; {@code 0}
 *     fails every request made while disconnected
 * @param callbackExecutor where listeners, handlers and future completions run; {@code null} (the
 *     default) for a single daemon thread owned by the client, which keeps callbacks ordered. A
 *     multi-threaded executor gives up that order. An executor that runs tasks on the calling thread
 *     ({@code Runnable::run}) works but runs callbacks on the WebSocket I/O thread, where they must not
 *     block. The client never shuts down an executor it was given
 * @param scheduler for timeouts, backoff and heartbeat checks; {@code null} (the default) for a single
 *     daemon thread owned by the client. Its tasks never block. The client never shuts down a scheduler it
 *     was given
 * @param mapper converts data to and from JSON; {@code null} (the default) for a plain
 *     {@link ObjectMapper}
 * @param httpClient opens the WebSocket (for a custom {@code SSLContext}, proxy or executor);
 *     {@code null} (the default) for {@link HttpClient#newHttpClient()}
 * @param tokenProvider fetches a fresh token, asynchronously: called before every connection attempt
 *     (the result is sent as {@code Authorization: Bearer}, in place of {@code token}) and, when the server
 *     says the token expires ({@code welcome.expiresInMs}), again after 80% of that time, the new token
 *     then being sent in-band ({@code auth} frame) so the connection stays open; {@code null} (the default)
 *     for none. It runs on the client's threads and must not block; a failure or {@code null} counts as
 *     "no fresh token" (a connect fails with {@code unauthorized}; an expiring connection is closed by the
 *     server with 4001 and reconnects, asking again). Tokens are never logged
 * @param traceContext supplies the W3C trace context of each {@code emit} and {@code request}, called on the
 *     calling thread (e.g. {@code TraceContext::current}, or a bridge from the caller's OpenTelemetry context);
 *     the server's handler then runs in that trace. {@code null} (the default) sends none; a supplier that
 *     throws or returns {@code null} sends none for that frame
 */
public record ClientOptions(URI uri, String token, Map<String, String> headers, List<String> subProtocols,
                            Duration requestTimeout, Duration connectTimeout, Duration closeTimeout,
                            boolean reconnect, Duration reconnectInitialDelay, Duration reconnectMaxDelay,
                            double reconnectMultiplier, Duration restartDelay, int maxReconnectAttempts,
                            int maxQueuedFrames,
                            Executor callbackExecutor, ScheduledExecutorService scheduler, ObjectMapper mapper,
                            HttpClient httpClient, Supplier<CompletionStage<String>> tokenProvider,
                            Supplier<dev.switchboard.TraceContext> traceContext) {

    /** The sub-protocol of wire protocol v1. */
    public static final String SUBPROTOCOL_V1 = "switchboard.v1";

    /**
     * Validates every component and copies the collections.
     *
     * @throws NullPointerException when a required component is {@code null}
     * @throws IllegalArgumentException when a value is out of range (see {@link Builder})
     */
    public ClientOptions {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("ws") || scheme.equalsIgnoreCase("wss"))) {
            throw new IllegalArgumentException("uri must be ws:// or wss://, got " + uri);
        }
        if (token != null && token.isBlank()) {
            throw new IllegalArgumentException("token must not be blank; use null for none");
        }
        headers = Map.copyOf(headers);
        for (String name : headers.keySet()) {
            if ((token != null || tokenProvider != null) && name.equalsIgnoreCase("Authorization")) {
                throw new IllegalArgumentException("set either token or an Authorization header, not both");
            }
        }
        subProtocols = List.copyOf(subProtocols);
        positive(requestTimeout, "requestTimeout");
        positive(connectTimeout, "connectTimeout");
        positive(closeTimeout, "closeTimeout");
        positive(reconnectInitialDelay, "reconnectInitialDelay");
        positive(reconnectMaxDelay, "reconnectMaxDelay");
        if (reconnectMaxDelay.compareTo(reconnectInitialDelay) < 0) {
            throw new IllegalArgumentException("reconnectMaxDelay must be >= reconnectInitialDelay");
        }
        if (!(reconnectMultiplier >= 1.0) || Double.isInfinite(reconnectMultiplier)) {
            throw new IllegalArgumentException("reconnectMultiplier must be a finite number >= 1");
        }
        positive(restartDelay, "restartDelay");
        if (maxReconnectAttempts < 0) {
            throw new IllegalArgumentException("maxReconnectAttempts must be >= 0 (0 = unlimited)");
        }
        if (maxQueuedFrames < 0) {
            throw new IllegalArgumentException("maxQueuedFrames must be >= 0");
        }
    }

    /**
     * @param uri the WebSocket endpoint, e.g. {@code ws://localhost:8080/ws}
     * @return options with every default
     */
    public static ClientOptions of(URI uri) {
        return builder(uri).build();
    }

    /**
     * @param uri the WebSocket endpoint, e.g. {@code ws://localhost:8080/ws}
     * @return a builder with every default
     */
    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    /** @return a builder holding these options, to derive changed copies */
    public Builder toBuilder() {
        Builder b = new Builder(uri);
        b.token = token;
        b.headers.putAll(headers);
        b.subProtocols = subProtocols;
        b.requestTimeout = requestTimeout;
        b.connectTimeout = connectTimeout;
        b.closeTimeout = closeTimeout;
        b.reconnect = reconnect;
        b.reconnectInitialDelay = reconnectInitialDelay;
        b.reconnectMaxDelay = reconnectMaxDelay;
        b.reconnectMultiplier = reconnectMultiplier;
        b.restartDelay = restartDelay;
        b.maxReconnectAttempts = maxReconnectAttempts;
        b.maxQueuedFrames = maxQueuedFrames;
        b.callbackExecutor = callbackExecutor;
        b.scheduler = scheduler;
        b.mapper = mapper;
        b.httpClient = httpClient;
        b.tokenProvider = tokenProvider;
        b.traceContext = traceContext;
        return b;
    }

    /** Like the generated one, but never prints the token. */
    @Override
    public String toString() {
        return "ClientOptions[uri=" + uri + ", token=" + (token == null ? "none" : "***")
                + ", tokenProvider=" + (tokenProvider == null ? "none" : "set")
                + ", headers=" + headers.keySet() + ", subProtocols=" + subProtocols
                + ", requestTimeout=" + requestTimeout + ", connectTimeout=" + connectTimeout
                + ", closeTimeout=" + closeTimeout + ", reconnect=" + reconnect
                + ", reconnectInitialDelay=" + reconnectInitialDelay + ", reconnectMaxDelay=" + reconnectMaxDelay
                + ", reconnectMultiplier=" + reconnectMultiplier + ", restartDelay=" + restartDelay
                + ", maxReconnectAttempts=" + maxReconnectAttempts
                + ", maxQueuedFrames=" + maxQueuedFrames + "]";
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }

    /** Builds {@link ClientOptions}; every setter documents its default. Not thread-safe. */
    public static final class Builder {
        private final URI uri;
        private String token;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private List<String> subProtocols = List.of(SUBPROTOCOL_V1);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration closeTimeout = Duration.ofSeconds(5);
        private boolean reconnect = true;
        private Duration reconnectInitialDelay = Duration.ofMillis(250);
        private Duration reconnectMaxDelay = Duration.ofSeconds(10);
        private double reconnectMultiplier = 2.0;
        private Duration restartDelay = Duration.ofSeconds(2);
        private int maxReconnectAttempts;
        private int maxQueuedFrames = 1000;
        private Executor callbackExecutor;
        private ScheduledExecutorService scheduler;
        private ObjectMapper mapper;
        private HttpClient httpClient;
        private Supplier<CompletionStage<String>> tokenProvider;
        private Supplier<dev.switchboard.TraceContext> traceContext;

        private Builder(URI uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        /**
         * @param token the bearer token, or {@code null} for none (the default)
         * @return this
         */
        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /**
         * @param provider fetches a fresh token before each connect and before the current one expires
         *     (default none); must not block
         * @return this
         */
        public Builder tokenProvider(Supplier<CompletionStage<String>> provider) {
            this.tokenProvider = provider;
            return this;
        }

        /**
         * @param name an upgrade-request header name
         * @param value its value
         * @return this (default: no extra headers)
         */
        public Builder header(String name, String value) {
            headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * @param protocols offered sub-protocols, most preferred first (default {@code switchboard.v1})
         * @return this
         */
        public Builder subProtocols(String... protocols) {
            this.subProtocols = List.of(protocols);
            return this;
        }

        /**
         * @param timeout the default request timeout (default 10 s)
         * @return this
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        /**
         * @param timeout one connection attempt, up to the welcome frame (default 10 s)
         * @return this
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * @param timeout how long close waits for the server's close frame (default 5 s)
         * @return this
         */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = timeout;
            return this;
        }

        /**
         * @param reconnect re-open lost connections (default {@code true})
         * @return this
         */
        public Builder reconnect(boolean reconnect) {
            this.reconnect = reconnect;
            return this;
        }

        /**
         * @param initial the backoff cap of the first attempt (default 250 ms)
         * @param max the largest cap (default 10 s)
         * @param multiplier the growth per attempt, at least 1 (default 2.0)
         * @return this
         */
        public Builder backoff(Duration initial, Duration max, double multiplier) {
            this.reconnectInitialDelay = initial;
            this.reconnectMaxDelay = max;
            this.reconnectMultiplier = multiplier;
            return this;
        }

        /**
         * @param max after a 1012 close (the server drains), the first reconnect waits a random delay up to
         *     this (default 2 s)
         * @return this
         */
        public Builder restartDelay(Duration max) {
            this.restartDelay = max;
            return this;
        }

        /**
         * @param attempts give up after this many failed attempts; 0 = never (the default)
         * @return this
         */
        public Builder maxReconnectAttempts(int attempts) {
            this.maxReconnectAttempts = attempts;
            return this;
        }

        /**
         * @param max requests and emits that may wait for a reconnect (default 1000)
         * @return this
         */
        public Builder maxQueuedFrames(int max) {
            this.maxQueuedFrames = max;
            return this;
        }

        /**
         * @param executor where callbacks run (default: one daemon thread per client)
         * @return this
         */
        public Builder callbackExecutor(Executor executor) {
            this.callbackExecutor = executor;
            return this;
        }

        /**
         * @param scheduler for timers (default: one daemon thread per client)
         * @return this
         */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        /**
         * @param mapper the JSON mapper (default: a plain {@link ObjectMapper})
         * @return this
         */
        public Builder mapper(ObjectMapper mapper) {
            this.mapper = mapper;
            return this;
        }

        /**
         * @param httpClient opens the WebSocket (default {@link HttpClient#newHttpClient()})
         * @return this
         */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = httpClient;
            return this;
        }

        /**
         * @param supplier the W3C trace context of each emit and request, called on the calling thread, e.g.
         *     {@code TraceContext::current} (default none)
         * @return this
         */
        public Builder traceContext(Supplier<dev.switchboard.TraceContext> supplier) {
            this.traceContext = supplier;
            return this;
        }

        /**
         * @return the options
         * @throws IllegalArgumentException when a value is out of range
         */
        public ClientOptions build() {
            return new ClientOptions(uri, token, headers, subProtocols, requestTimeout, connectTimeout, closeTimeout,
                    reconnect, reconnectInitialDelay, reconnectMaxDelay, reconnectMultiplier, restartDelay,
                    maxReconnectAttempts, maxQueuedFrames, callbackExecutor, scheduler, mapper, httpClient, tokenProvider,
                    traceContext);
        }
    }
}
