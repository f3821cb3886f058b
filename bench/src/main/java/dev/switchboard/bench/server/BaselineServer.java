package dev.switchboard.bench.server;

import dev.switchboard.bench.Args;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;

/**
 * The ceiling: a bare Jetty 12 WebSocket server with no Switchboard code, speaking just enough of the
 * bench protocol for the same generator — {@code welcome} on open; requests {@code join},
 * {@code publish} (encodes the event frame ONCE and writes that buffer to every joined socket, then
 * replies), {@code echo} and {@code stats}. It uses Jetty's WebSocket core API (frames as buffers),
 * the same thread-pool bound and idle timeout as the Switchboard transport's defaults, and no
 * per-connection queue, heartbeat, rate limit, registry or handler pool.
 *
 * <pre>
 * java -cp switchboard-bench.jar dev.switchboard.bench.server.BaselineServer --port 8090
 * </pre>
 */
public final class BaselineServer implements AutoCloseable {
    /** The {@code node} the welcome frame names, so a report can tell the baseline apart. */
    public static final String NODE = "baseline";

    private final Server server;
    private final ServerConnector connector;
    private final Set<CoreSession> sessions = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<CoreSession>> topics = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final String host;

    private BaselineServer(String host, int port, int maxThreads) {
        this.host = host;
        QueuedThreadPool pool = new QueuedThreadPool(maxThreads, Math.min(8, maxThreads));
        pool.setName("baseline-jetty");
        server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(120_000);
        server.addConnector(connector);
        ContextHandler context = new ContextHandler("/");
        WebSocketUpgradeHandler ws = new WebSocketUpgradeHandler(
                WebSocketServerComponents.ensureWebSocketComponents(server, context));
        ws.addMapping("/ws", (request, response, callback) -> {
            if (request.hasSubProtocol("switchboard.v1")) {
                response.setAcceptedSubProtocol("switchboard.v1");
            }
            return new BaselineSocket(this);
        });
        ws.getConfiguration().setIdleTimeout(java.time.Duration.ofMinutes(2));
        ws.getConfiguration().setMaxTextMessageSize(65_536);
        context.setHandler(ws);
        server.setHandler(context);
    }

    /**
     * Starts the server; blocks until the port is bound.
     *
     * @param host the interface
     * @param port the port, 0 for a free one
     * @param maxThreads Jetty's pool bound
     * @return the running server
     * @throws IllegalStateException when Jetty cannot start
     */
    public static BaselineServer start(String host, int port, int maxThreads) {
        BaselineServer s = new BaselineServer(host, port, maxThreads);
        try {
            s.server.start();
        } catch (Exception e) {
            s.close();
            throw new IllegalStateException("cannot start the baseline server on " + host + ":" + port, e);
        }
        return s;
    }

    /** @return {@code ws://host:port/ws} */
    public URI uri() {
        return URI.create("ws://" + host + ":" + connector.getLocalPort() + "/ws");
    }

    String nextConnectionId() {
        return "b-" + ids.incrementAndGet();
    }

    void opened(CoreSession s) {
        sessions.add(s);
    }

    void closed(CoreSession s) {
        sessions.remove(s);
        for (Set<CoreSession> members : topics.values()) {
            members.remove(s);
        }
    }

    void join(String topic, CoreSession s) {
        topics.computeIfAbsent(topic, t -> ConcurrentHashMap.newKeySet()).add(s);
    }

    Set<CoreSession> members(String topic) {
        return topics.getOrDefault(topic, Set.of());
    }

    int connectionCount() {
        return sessions.size();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception ignored) {
            // stopping anyway
        }
    }

    /**
     * Runs until killed. Options: {@code --host} (127.0.0.1), {@code --port} (8090), {@code --jetty-threads}
     * (32, the Switchboard transport's default on this machine).
     *
     * @param argv the options
     * @throws InterruptedException never in practice
     */
    public static void main(String[] argv) throws InterruptedException {
        Args args = new Args(argv);
        String host = args.string("host", "127.0.0.1");
        int port = args.integer("port", 8090);
        int threads = args.integer("jetty-threads", Math.max(32, 4 * Runtime.getRuntime().availableProcessors()));
        args.requireAllUsed();
        BaselineServer server = start(host, port, threads);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "baseline-shutdown"));
        System.out.println("baseline-server ready " + server.uri() + " cpus=" + Runtime.getRuntime().availableProcessors()
                + " gc=" + ServerStats.collect(0, false).get("gc"));
        Thread.currentThread().join();
    }
}
