package dev.switchboard.transport.jetty.internal;

import dev.switchboard.spi.SessionAcceptor;
import dev.switchboard.transport.jetty.JettyTransportOptions;
import org.eclipse.jetty.ee11.servlet.DefaultServlet;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.http.pathmap.ServletPathSpec;
import org.eclipse.jetty.http.pathmap.UriTemplatePathSpec;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.resource.Resource;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;

/**
 * Assembles the embedded Jetty server of a {@link dev.switchboard.transport.jetty.JettyTransport}: one
 * connector (HTTP or HTTPS), a bounded thread pool, the WebSocket endpoint on Jetty's WebSocket core API
 * ({@link CoreEndpoint}, which upgrades requests for the endpoint's path before any servlet code runs), and
 * behind it one servlet context holding {@code /health} and the static files.
 */
public final class JettyServers {

    private JettyServers() {
    }

    /**
     * @param options the transport's options
     * @param acceptor the core
     * @param openSessions the registry the endpoint adds its sessions to
     * @return a server, not started
     */
    public static Server create(JettyTransportOptions options, SessionAcceptor acceptor, OpenSessions openSessions) {
        QueuedThreadPool pool = new QueuedThreadPool(options.maxThreads(), Math.min(8, options.maxThreads()));
        pool.setName("switchboard-jetty");
        Server server = new Server(pool);
        server.addConnector(connector(server, options));
        ServletContextHandler context = context(options, acceptor);
        WebSocketUpgradeHandler ws = new WebSocketUpgradeHandler(
                WebSocketServerComponents.ensureWebSocketComponents(server, context));
        PathTemplate path = PathTemplate.of(options.path());
        PathSpec spec = path.isTemplate() ? new UriTemplatePathSpec(options.path()) : new ServletPathSpec(options.path());
        ws.addMapping(spec, new CoreEndpoint(new UpgradeGate(acceptor, options.path()), openSessions,
                options.compression()));
        configure(ws.getConfiguration(), options, acceptor.maxFrameBytes());
        ws.setHandler(context);
        server.setHandler(ws);
        return server;
    }

    private static void configure(Configuration ws, JettyTransportOptions options, int maxFrameBytes) {
        ws.setIdleTimeout(options.idleTimeout());
        // Jetty's parser hands a frame past this size over in pieces (auto-fragment), which the session
        // counts against the core's limit (1009), so nothing bigger is ever buffered; frames the server
        // writes past it go out fragmented (clients reassemble them), as with the Jakarta endpoint.
        ws.setMaxFrameSize(maxFrameBytes);
        ws.setAutoFragment(true);
    }

    private static ServerConnector connector(Server server, JettyTransportOptions options) {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector;
        if (options.tls()) {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStorePath(options.keyStore().toAbsolutePath().toString());
            ssl.setKeyStorePassword(options.keyStorePassword());
            http.addCustomizer(new SecureRequestCustomizer());
            connector = new ServerConnector(server, ssl, new HttpConnectionFactory(http));
        } else {
            connector = new ServerConnector(server, new HttpConnectionFactory(http));
        }
        connector.setHost(options.host());
        connector.setPort(options.port());
        connector.setIdleTimeout(options.idleTimeout().toMillis());
        connector.setAcceptQueueSize(options.acceptQueueSize());
        return connector;
    }

    private static ServletContextHandler context(JettyTransportOptions options, SessionAcceptor acceptor) {
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        context.setContextPath("/");
        context.getMimeTypes().addMimeMapping("js", "text/javascript;charset=utf-8");
        context.getMimeTypes().addMimeMapping("mjs", "text/javascript;charset=utf-8");
        // "ts" would otherwise be served as an MPEG transport stream.
        context.getMimeTypes().addMimeMapping("ts", "text/plain;charset=utf-8");

        context.addServlet(new ServletHolder("switchboard-health", new HealthServlet(acceptor)), "/health");

        Resource statics = StaticResources.resolve(ResourceFactory.of(context), options.staticRoot(),
                options.staticClasspathBase());
        if (statics != null) {
            context.setBaseResource(statics);
            ServletHolder files = new ServletHolder("switchboard-static", DefaultServlet.class);
            files.setInitParameter("dirAllowed", "false");
            context.addServlet(files, "/");
        }
        return context;
    }
}
