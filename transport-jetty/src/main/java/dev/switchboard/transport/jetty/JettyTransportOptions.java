package dev.switchboard.transport.jetty;

import dev.switchboard.http.HttpApiOptions;
import dev.switchboard.http.HttpService;
import dev.switchboard.transport.internal.OriginCheck;
import jakarta.servlet.Servlet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of a {@link JettyTransport}. Immutable; build with {@link #builder()}; validated at
 * construction (a bad value throws {@link IllegalArgumentException} naming the field).
 *
 * <pre>{@code
 * JettyTransportOptions options = JettyTransportOptions.builder()
 *     .port(8080)
 *     .staticFiles(Path.of("web"))
 *     .build();
 * }</pre>
 *
 * @param host the address to bind (default {@code 0.0.0.0}, every IPv4 interface); {@code 127.0.0.1} serves
 *     only this machine (behind a local proxy), {@code ::} every IPv6 and IPv4 interface
 * @param port the TCP port (default 8080); 0 binds a free port, see {@link JettyTransport#port()}
 * @param path the WebSocket endpoint path (default {@code /ws}); may be a Jakarta URI template such
 *     as {@code /chat/{room}}, in which case the core sees the concrete path in
 *     {@link dev.switchboard.spi.Handshake#path()}
 * @param staticRoot a directory served as static files at {@code /}, or {@code null} for none (default)
 * @param staticClasspathBase a classpath folder served as static files at {@code /} after
 *     {@code staticRoot}, e.g. {@code "web"} for pages packaged in a jar; {@code null} for none (default)
 * @param keyStore a PKCS#12 or JKS key store; when set the single connector speaks HTTPS/WSS instead of
 *     HTTP/WS (default {@code null}: plain)
 * @param keyStorePassword the key store's password; required exactly when {@code keyStore} is set
 * @param idleTimeout how long an HTTP or WebSocket connection may be silent before Jetty drops it
 *     (default 2 minutes; longer than two core heartbeat periods, so the core's heartbeat, which closes
 *     with 4000, normally decides first)
 * @param maxThreads the bound of Jetty's thread pool (default {@code max(32, 4 × CPUs)}). Jetty threads
 *     only parse HTTP, upgrade and move bytes: application handlers run on the core's executor, so a
 *     small bounded pool suffices and stops connect bursts from growing Jetty's default pool past 200
 * @param reservedThreads how many idle Jetty threads stand ready to take the next read at once (Jetty's
 *     {@code QueuedThreadPool.setReservedThreads}); {@code -1} (the default) lets Jetty choose from the
 *     CPU count, {@code 0} reserves none: each read is handed to a pooled thread. See docs/benchmarks.md
 *     for when to change it
 * @param stopTimeout how long {@link JettyTransport#close()} waits for clients to answer the 1001
 *     close handshake before the server stops (default 2 s)
 * @param compression whether to negotiate {@code permessage-deflate} when a client offers it (default
 *     {@code false}: every recipient gets the same pre-encoded bytes, and no per-connection deflater,
 *     which costs tens of KB each, is allocated)
 * @param acceptQueueSize the listen backlog: how many connections may wait to be accepted (default
 *     1,024; the kernel caps it at {@code net.core.somaxconn}). The JDK's default of 50 makes a burst of
 *     reconnecting clients lose SYNs and wait a second per retransmit.
 * @param allowedOrigins the browser origins that may open the WebSocket: exact ones
 *     ({@code https://app.example.com}) and patterns where {@code *} stands for host labels or a port
 *     ({@code https://*.example.com}, {@code http://localhost:*}). Any other {@code Origin} gets 403
 *     before the upgrade and before authentication; a request without {@code Origin} (not a browser) is
 *     let through. {@code *} allows every origin. Empty (the default) allows the same origin only: pages
 *     whose origin's host and port are the request's {@code Host}, i.e. pages this server serves (the
 *     rule of every Switchboard transport, see docs/security.md)
 * @param servlets the application's own HTTP endpoints served next to the WebSocket, by servlet path
 *     spec (e.g. {@code /login}); default none. They see no Switchboard authentication or origin check:
 *     protect them yourself
 * @param metrics what {@code GET /metrics} serves, e.g. {@code PrometheusMetrics} from
 *     {@code switchboard-metrics-micrometer}; {@code null} (the default) serves no {@code /metrics}
 * @param httpApi the node's HTTP services: {@code POST /api/emit} (off until it has an authorizer) and
 *     {@code POST /events} (on), their paths and limits (default {@link HttpApiOptions#defaults()}).
 *     Mounted only when the acceptor is a {@link dev.switchboard.Switchboard} node
 * @param httpServices the application's own {@link HttpService}s, by servlet path spec ({@code /api/orders}
 *     or {@code /api/orders/*}), mounted next to the socket (default none)
 */
public record JettyTransportOptions(String host, int port, String path, Path staticRoot,
                                    String staticClasspathBase, Path keyStore, String keyStorePassword,
                                    Duration idleTimeout, int maxThreads, int reservedThreads,
                                    Duration stopTimeout, boolean compression, int acceptQueueSize, List<String> allowedOrigins,
                                    Map<String, Servlet> servlets, dev.switchboard.spi.MetricsScraper metrics,
                                    HttpApiOptions httpApi, Map<String, HttpService> httpServices) {

    /** The smallest pool Jetty starts with: acceptor, selectors and a few workers need threads. */
    static final int MIN_THREADS = 8;

    /** Validates every field. */
    public JettyTransportOptions {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/': " + path);
        }
        if (staticClasspathBase != null && staticClasspathBase.isBlank()) {
            throw new IllegalArgumentException("staticClasspathBase must not be blank");
        }
        if ((keyStore == null) != (keyStorePassword == null)) {
            throw new IllegalArgumentException("keyStore and keyStorePassword must be set together");
        }
        requirePositive(idleTimeout, "idleTimeout");
        requirePositive(stopTimeout, "stopTimeout");
        if (acceptQueueSize < 1) {
            throw new IllegalArgumentException("acceptQueueSize must be positive: " + acceptQueueSize);
        }
        if (maxThreads < MIN_THREADS) {
            throw new IllegalArgumentException("maxThreads must be at least " + MIN_THREADS + ": " + maxThreads);
        }
        if (reservedThreads < -1 || reservedThreads >= maxThreads) {
            throw new IllegalArgumentException("reservedThreads must be -1 (Jetty's choice) or 0.." + (maxThreads - 1)
                    + ": " + reservedThreads);
        }
        allowedOrigins = List.copyOf(allowedOrigins);
        servlets = Map.copyOf(servlets);
        for (String spec : servlets.keySet()) {
            if (!spec.startsWith("/")) {
                throw new IllegalArgumentException("servlet paths start with '/': " + spec);
            }
        }
        OriginCheck.of(allowedOrigins); // validates each entry
        Objects.requireNonNull(httpApi, "httpApi");
        httpServices = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(httpServices, "httpServices")));
        for (String spec : httpServices.keySet()) {
            if (!spec.startsWith("/") || spec.equals("/") || spec.equals("/*") || spec.equals("/health")
                    || spec.equals("/metrics") || spec.equals(path)) {
                throw new IllegalArgumentException("httpServices path must start with '/' and not be /, /*, /health, "
                        + "/metrics or the WebSocket path: " + spec);
            }
            if (servlets.containsKey(spec)) {
                throw new IllegalArgumentException("httpServices path " + spec + " is taken by a servlet");
            }
            if ((httpApi.emitEnabled() && spec.equals(httpApi.emitPath()))
                    || (httpApi.cloudEvents() && spec.equals(httpApi.cloudEventsPath()))) {
                throw new IllegalArgumentException("httpServices path " + spec + " is taken by the HTTP API");
            }
        }
    }

    /**
     * The options of the releases before {@code reservedThreads}: Jetty chooses how many threads it reserves.
     */
    public JettyTransportOptions(String host, int port, String path, Path staticRoot, String staticClasspathBase,
                                 Path keyStore, String keyStorePassword, Duration idleTimeout, int maxThreads,
                                 Duration stopTimeout, boolean compression, int acceptQueueSize,
                                 List<String> allowedOrigins, Map<String, Servlet> servlets,
                                 dev.switchboard.spi.MetricsScraper metrics, HttpApiOptions httpApi,
                                 Map<String, HttpService> httpServices) {
        this(host, port, path, staticRoot, staticClasspathBase, keyStore, keyStorePassword, idleTimeout, maxThreads,
                -1, stopTimeout, compression, acceptQueueSize, allowedOrigins, servlets, metrics, httpApi,
                httpServices);
    }

    /** @return the defaults: {@code 0.0.0.0:8080}, path {@code /ws}, no static files, no TLS */
    public static JettyTransportOptions defaults() {
        return builder().build();
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder starting from these options */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.host = host;
        b.port = port;
        b.path = path;
        b.staticRoot = staticRoot;
        b.staticClasspathBase = staticClasspathBase;
        b.keyStore = keyStore;
        b.keyStorePassword = keyStorePassword;
        b.idleTimeout = idleTimeout;
        b.maxThreads = maxThreads;
        b.reservedThreads = reservedThreads;
        b.stopTimeout = stopTimeout;
        b.compression = compression;
        b.acceptQueueSize = acceptQueueSize;
        b.allowedOrigins = allowedOrigins;
        b.servlets.putAll(servlets);
        b.metrics = metrics;
        b.httpApi = httpApi;
        b.httpServices.putAll(httpServices);
        return b;
    }

    /** @return true when a key store is configured, so the connector speaks TLS */
    public boolean tls() {
        return keyStore != null;
    }

    @Override
    public String toString() {
        // Never print the key store password.
        return "JettyTransportOptions[host=" + host + ", port=" + port + ", path=" + path
                + ", staticRoot=" + staticRoot + ", staticClasspathBase=" + staticClasspathBase
                + ", tls=" + tls() + ", idleTimeout=" + idleTimeout + ", maxThreads=" + maxThreads
                + ", reservedThreads=" + reservedThreads + ", stopTimeout=" + stopTimeout
                + ", compression=" + compression
                + ", acceptQueueSize=" + acceptQueueSize + ", allowedOrigins=" + allowedOrigins + ", servlets="
                + servlets.keySet() + ", metrics=" + (metrics != null)
                + ", emitApi=" + (httpApi.emitEnabled() ? httpApi.emitPath() : "off")
                + ", cloudEvents=" + (httpApi.cloudEvents() ? httpApi.cloudEventsPath() : "off")
                + ", httpServices=" + httpServices.keySet() + "]";
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }

    /** Builds {@link JettyTransportOptions}; see the record's components for the defaults. Not thread-safe. */
    public static final class Builder {
        private String host = "0.0.0.0";
        private int port = 8080;
        private String path = "/ws";
        private Path staticRoot;
        private String staticClasspathBase;
        private Path keyStore;
        private String keyStorePassword;
        private Duration idleTimeout = Duration.ofMinutes(2);
        private int maxThreads = Math.max(32, 4 * Runtime.getRuntime().availableProcessors());
        private int reservedThreads = -1;
        private Duration stopTimeout = Duration.ofSeconds(2);
        private boolean compression;
        private int acceptQueueSize = 1024;
        private List<String> allowedOrigins = List.of();
        private final Map<String, Servlet> servlets = new LinkedHashMap<>();
        private dev.switchboard.spi.MetricsScraper metrics;
        private HttpApiOptions httpApi = HttpApiOptions.defaults();
        private final Map<String, HttpService> httpServices = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * @param pathSpec a servlet path spec, e.g. {@code /login} or {@code /api/*}
         * @param servlet the application's endpoint there (default: none)
         * @return this
         */
        public Builder servlet(String pathSpec, Servlet servlet) {
            servlets.put(Objects.requireNonNull(pathSpec, "pathSpec"), Objects.requireNonNull(servlet, "servlet"));
            return this;
        }

        /**
         * @param origins browser origins that may connect, exact or with {@code *} patterns, or {@code *}
         *     for any (default: none, the same origin only)
         * @return this
         */
        public Builder allowedOrigins(String... origins) {
            allowedOrigins = List.of(origins);
            return this;
        }

        /**
         * Serves {@code GET /metrics} (opt-in): the Prometheus scrape endpoint.
         *
         * @param v what to serve, e.g. {@code PrometheusMetrics}; {@code null} for none (default)
         * @return this
         */
        public Builder metrics(dev.switchboard.spi.MetricsScraper v) {
            metrics = v;
            return this;
        }

        /**
         * @param v the node's HTTP services: the emit API and the CloudEvents endpoint (default: emit off,
         *     {@code POST /events} on)
         * @return this
         */
        public Builder httpApi(HttpApiOptions v) {
            httpApi = v;
            return this;
        }

        /**
         * Mounts one of the application's own HTTP endpoints next to the socket.
         *
         * @param pathSpec a servlet path spec: an exact path ({@code /api/orders}) or a prefix
         *     ({@code /api/orders/*}; the service sees the full path in {@link dev.switchboard.http.HttpRequest#path()})
         * @param service the endpoint
         * @return this
         */
        public Builder httpService(String pathSpec, HttpService service) {
            httpServices.put(Objects.requireNonNull(pathSpec, "pathSpec"), Objects.requireNonNull(service, "service"));
            return this;
        }

        /** @param v the listen backlog (default 1,024) @return this */
        public Builder acceptQueueSize(int v) {
            acceptQueueSize = v;
            return this;
        }

        /** @param v the interface to bind (default {@code 0.0.0.0}) @return this */
        public Builder host(String v) {
            host = v;
            return this;
        }

        /** @param v the port, 0 for a free one (default 8080) @return this */
        public Builder port(int v) {
            port = v;
            return this;
        }

        /** @param v the WebSocket path or URI template (default {@code /ws}) @return this */
        public Builder path(String v) {
            path = v;
            return this;
        }

        /** @param v a directory of static files, or {@code null} (default none) @return this */
        public Builder staticFiles(Path v) {
            staticRoot = v;
            return this;
        }

        /** @param v a classpath folder of static files, or {@code null} (default none) @return this */
        public Builder staticClasspath(String v) {
            staticClasspathBase = v;
            return this;
        }

        /**
         * Serves HTTPS and WSS instead of HTTP and WS.
         *
         * @param keyStore a PKCS#12 or JKS key store holding the server's key and certificate
         * @param password the key store's password (also used for the key)
         * @return this
         */
        public Builder tls(Path keyStore, String password) {
            this.keyStore = Objects.requireNonNull(keyStore, "keyStore");
            this.keyStorePassword = Objects.requireNonNull(password, "password");
            return this;
        }

        /** @param v idle timeout for HTTP and WebSocket connections (default 2 min) @return this */
        public Builder idleTimeout(Duration v) {
            idleTimeout = v;
            return this;
        }

        /** @param v Jetty's thread pool bound, at least 8 (default {@code max(32, 4 × CPUs)}) @return this */
        public Builder maxThreads(int v) {
            maxThreads = v;
            return this;
        }

        /**
         * @param v idle threads Jetty keeps ready for the next read: -1 for Jetty's choice (default), 0 for none
         * @return this
         */
        public Builder reservedThreads(int v) {
            reservedThreads = v;
            return this;
        }

        /** @param v how long close waits for clients' close handshakes (default 2 s) @return this */
        public Builder stopTimeout(Duration v) {
            stopTimeout = v;
            return this;
        }

        /** @param v negotiate permessage-deflate when offered (default false) @return this */
        public Builder compression(boolean v) {
            compression = v;
            return this;
        }

        /** @return validated options */
        public JettyTransportOptions build() {
            return new JettyTransportOptions(host, port, path, staticRoot, staticClasspathBase, keyStore,
                    keyStorePassword, idleTimeout, maxThreads, reservedThreads, stopTimeout, compression,
                    acceptQueueSize, allowedOrigins, servlets, metrics, httpApi, httpServices);
        }
    }
}
