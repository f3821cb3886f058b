package dev.switchboard.bench.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Audience;
import dev.switchboard.ErrorCode;
import dev.switchboard.Execution;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.SwitchboardOptions;
import dev.switchboard.bench.Args;
import dev.switchboard.spi.Backplane;
import dev.switchboard.spi.SubscriptionPolicy;
import dev.switchboard.transport.jetty.JettyTransport;
import dev.switchboard.transport.jetty.JettyTransportOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The bench server described in docs/benchmarks.md: one or more Switchboard nodes on {@link JettyTransport} answering
 * request {@code echo} (its data), {@code join} {@code {"topic"}} (joins, replies {@code true}),
 * {@code publish} {@code {"topic","payload"}} (routes event {@code msg} with the payload to the topic on
 * every node, replies {@code true}) and {@code stats} (see {@link ServerStats}). For the chaos soak a
 * {@code publish} may carry a sequence number instead of a payload, {@code {"topic","publisher","seq"}}:
 * the event's data is then {@code {"p":publisher,"s":seq,"n":<this node's id>}} and the reply names the
 * node, {@code {"node":…}}; a durable emit the history store refused is answered {@code unavailable}.
 * {@link NodeSettings} adds the node id, durable topics, client subscriptions, queue bound and heartbeat.
 *
 * <pre>
 * java -cp switchboard-bench.jar dev.switchboard.bench.server.BenchServer --port 8080 --backplane none
 * java -cp switchboard-bench.jar dev.switchboard.bench.server.BenchServer --port 8080 --nodes 2   # 8080, 8081
 * </pre>
 *
 * <p>Options: {@code --host} (127.0.0.1), {@code --port} (8080; 0 = free ports), {@code --nodes} (1; node
 * i listens on port + i), {@code --backplane} ({@code none} for one node, {@code memory} otherwise; see
 * {@link Backplanes}), {@code --jetty-threads} (the transport's default), {@code --handler-threads} (the
 * core's default), {@code --rate-limit} (0: the core's default of 100 frames/s would throttle the
 * publisher and the rpc clients, which is not what is being measured), {@code --execution} ({@code inline}:
 * the handlers never block, so they run on the Jetty thread that read the request
 * ({@link Execution#INLINE}); {@code pooled} measures the core's default hand-off to its handler pool), and
 * those of {@link NodeSettings}. Prints {@code bench-server ready …} once every port is bound; on SIGTERM it
 * closes its transports (clients see 1001) and nodes.
 */
public final class BenchServer implements AutoCloseable {
    /** Makes the default node ids of this process unique. */
    private static final String RUN = java.util.UUID.randomUUID().toString().substring(0, 6);

    private final List<Switchboard> boards = new ArrayList<>();
    private final List<JettyTransport> transports = new ArrayList<>();
    private final Execution execution;

    private BenchServer(Execution execution) {
        this.execution = execution;
    }

    /**
     * Starts the nodes with inline handlers; see
     * {@link #start(String, int, int, String, int, int, int, Execution)}.
     *
     * @return the running server
     */
    public static BenchServer start(String host, int port, int nodes, String backplane, int jettyThreads,
                                    int handlerThreads, int rateLimit) {
        return start(host, port, nodes, backplane, jettyThreads, handlerThreads, rateLimit, Execution.INLINE);
    }

    /**
     * Starts the nodes; blocks until every port is bound.
     *
     * @param host the interface to bind
     * @param port the first node's port (0: every node on a free port)
     * @param nodes how many nodes, each on its own port, all on one backplane
     * @param backplane the {@code --backplane} value
     * @param jettyThreads Jetty's pool bound, or 0 for the transport's default
     * @param handlerThreads the core's handler pool on Java 17–20, or 0 for its default
     * @param rateLimit inbound frames/s per connection, 0 = unlimited
     * @param execution where the request handlers run
     * @return the running server
     */
    public static BenchServer start(String host, int port, int nodes, String backplane, int jettyThreads,
                                    int handlerThreads, int rateLimit, Execution execution) {
        return start(host, port, nodes, backplane, jettyThreads, handlerThreads, rateLimit, execution,
                NodeSettings.defaults());
    }

    /**
     * Starts the nodes with the soak's settings; otherwise as
     * {@link #start(String, int, int, String, int, int, int, Execution)}.
     *
     * @param settings node id, durable topics, subscriptions, queue bound, heartbeat
     * @return the running server
     */
    public static BenchServer start(String host, int port, int nodes, String backplane, int jettyThreads,
                                    int handlerThreads, int rateLimit, Execution execution, NodeSettings settings) {
        Supplier<Backplane> backplanes = Backplanes.resolve(backplane, nodes);
        BenchServer server = new BenchServer(execution);
        try {
            for (int i = 0; i < nodes; i++) {
                // Unique per process start by default: two servers on one backplane must not share an id.
                String id = settings.nodeId() == null ? "bench-" + RUN + "-" + (i + 1)
                        : nodes == 1 ? settings.nodeId() : settings.nodeId() + "-" + (i + 1);
                SwitchboardOptions.Builder options = SwitchboardOptions.builder()
                        .nodeId(id)
                        .rateLimit(rateLimit);
                if (handlerThreads > 0) {
                    options.handlerThreads(handlerThreads);
                }
                if (settings.maxQueuedBytes() > 0) {
                    options.maxQueuedBytes(settings.maxQueuedBytes());
                }
                if (settings.heartbeat() != null) {
                    options.heartbeat(settings.heartbeat());
                }
                if (settings.historyCheck() != null) {
                    options.historyCheckInterval(settings.historyCheck());
                }
                Switchboard.Builder builder = Switchboard.builder().options(options.build()).backplane(backplanes.get());
                if (settings.subscribePrefix() != null) {
                    builder.subscriptionPolicy(SubscriptionPolicy.allowPrefixes(settings.subscribePrefix()));
                }
                Switchboard board = builder.build();
                settings.durable().forEach(board::durableTopic);
                server.boards.add(board);
                server.install(board);
                JettyTransportOptions.Builder transport = JettyTransportOptions.builder()
                        .host(host)
                        .port(port == 0 ? 0 : port + i);
                if (jettyThreads > 0) {
                    transport.maxThreads(jettyThreads);
                }
                transport.reservedThreads(settings.reservedThreads());
                server.transports.add(JettyTransport.start(board, transport.build()));
            }
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void install(Switchboard board) {
        board.onRequest("echo", JsonNode.class, (conn, data) -> data, execution);
        board.onRequest("join", JsonNode.class, (conn, data) -> {
            conn.join(topic(data));
            return true;
        }, execution);
        board.onRequest("publish", JsonNode.class, (conn, data) -> {
            if (data.has("seq")) {
                return publishSequenced(board, data);
            }
            board.to(Audience.topic(topic(data))).emit("msg", data.get("payload"));
            return true;
        }, execution);
        board.onRequest("stats", (conn, data) -> ServerStats.collect(connectionCount(),
                data != null && data.path("gc").asBoolean(false)));
    }

    /** The soak's publish: the data names the publisher, its sequence number and this node. */
    private static Map<String, Object> publishSequenced(Switchboard board, JsonNode data) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("p", data.path("publisher").asText(""));
        payload.put("s", data.path("seq").asLong());
        payload.put("n", board.nodeId());
        board.to(Audience.topic(topic(data))).emit("msg", payload);
        return Map.of("node", board.nodeId());
    }

    private static String topic(JsonNode data) {
        JsonNode topic = data == null ? null : data.get("topic");
        if (topic == null || !topic.isTextual() || topic.asText().isEmpty()) {
            throw new SwitchboardException(ErrorCode.BAD_REQUEST, "data needs a string \"topic\"");
        }
        return topic.asText();
    }

    /** @return the connections open on every node of this JVM */
    public int connectionCount() {
        int n = 0;
        for (Switchboard b : boards) {
            n += b.connectionCount();
        }
        return n;
    }

    /** @return the nodes, in node order */
    public List<Switchboard> boards() {
        return List.copyOf(boards);
    }

    /** @return the nodes' WebSocket URLs, in node order */
    public List<URI> uris() {
        List<URI> out = new ArrayList<>();
        for (JettyTransport t : transports) {
            out.add(URI.create("ws://" + t.options().host() + ":" + t.port() + t.options().path()));
        }
        return out;
    }

    @Override
    public void close() {
        for (JettyTransport t : transports) {
            t.close();
        }
        for (Switchboard b : boards) {
            b.close();
        }
    }

    /**
     * Runs until killed.
     *
     * @param argv see the class comment
     * @throws InterruptedException never in practice: the main thread waits forever
     */
    public static void main(String[] argv) throws InterruptedException {
        Args args = new Args(argv);
        String host = args.string("host", "127.0.0.1");
        int port = args.integer("port", 8080);
        int nodes = args.integer("nodes", 1);
        String backplane = args.string("backplane", nodes > 1 ? "memory" : "none");
        int jettyThreads = args.integer("jetty-threads", 0);
        int handlerThreads = args.integer("handler-threads", 0);
        int rateLimit = args.integer("rate-limit", 0);
        Execution execution = Execution.valueOf(args.string("execution", "inline").toUpperCase(java.util.Locale.ROOT));
        NodeSettings settings = NodeSettings.parse(args);
        args.requireAllUsed();
        BenchServer server = start(host, port, nodes, backplane, jettyThreads, handlerThreads, rateLimit, execution,
                settings);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "bench-server-shutdown"));
        System.out.println("bench-server ready backplane=" + backplane + " execution=" + execution + " " + server.uris()
                + " cpus=" + Runtime.getRuntime().availableProcessors()
                + " gc=" + ServerStats.collect(0, false).get("gc"));
        Thread.currentThread().join();
    }
}
