package dev.switchboard.transport.jetty.internal;

import dev.switchboard.Switchboard;
import dev.switchboard.http.HttpService;
import dev.switchboard.http.servlet.HttpServiceServlet;
import dev.switchboard.spi.PathTemplate;
import dev.switchboard.spi.SessionAcceptor;
import dev.switchboard.transport.internal.OpenSessions;
import dev.switchboard.transport.internal.UpgradeGate;
import dev.switchboard.transport.jetty.JettyTransportOptions;
import java.util.List;
import java.util.Map;
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
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;

/**
 * Assembles the embedded Jetty server of a {@link dev.switchboard.transport.jetty.JettyTransport}: one
 * connector (HTTP or HTTPS), a bounded thread pool, the WebSocket endpoints on Jetty's WebSocket core API
 * (one {@link CoreEndpoint} per mounted path, upgrading its requests before any servlet code runs), and
 * behind them one servlet context holding {@code /health}, {@code /metrics} when configured and the
 * static files.
 */
public final class JettyServers {

    private JettyServers() {
    }

    /**
     * One WebSocket endpoint to mount: its path (or URI template) and the acceptor of its connections.
     *
     * @param path the path
     * @param acceptor the acceptor its upgrades are checked by and its connections opened with
     */
    public record Mount(String path, SessionAcceptor acceptor) {
    }

    /**
     * @param options the transport's options
     * @param acceptor the core, answering {@code /health}
     * @param endpoints the WebSocket endpoints: the protocol's at {@code options.path()}, then the plain ones
     * @param openSessions the registry every endpoint adds its sessions to
     * @return a server, not started
     */
    public static Server create(JettyTransportOptions options, SessionAcceptor acceptor, List<Mount> endpoints,
                                OpenSessions<CoreTransportSession> openSessions) {
        QueuedThreadPool pool = new QueuedThreadPool(options.maxThreads(), Math.min(8, options.maxThreads()));
        pool.setName("switchboard-jetty");
        pool.setReservedThreads(options.reservedThreads());
        Server server = new Server(pool);
        server.addConnector(connector(server, options));
        ServletContextHandler context = context(options, acceptor);
        WebSocketUpgradeHandler ws = new WebSocketUpgradeHandler(
                WebSocketServerComponents.ensureWebSocketComponents(server, context));
        ws.getConfiguration().setIdleTimeout(options.idleTimeout());
        for (Mount m : endpoints) {
            PathSpec spec = PathTemplate.of(m.path()).isTemplate() ? new UriTemplatePathSpec(m.path())
                    : new ServletPathSpec(m.path());
            ws.addMapping(spec, new CoreEndpoint(new UpgradeGate(m.acceptor(), m.path(), options.allowedOrigins()),
                    openSessions, options.compression()));
        }
        ws.setHandler(context);
        server.setHandler(ws);
        return server;
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

    private static void mount(ServletContextHandler context, Map<String, HttpService> services) {
        services.forEach((pathSpec, service) -> context.addServlet(
                new ServletHolder("switchboard-http:" + pathSpec, new HttpServiceServlet(service)), pathSpec));
    }

    private static ServletContextHandler context(JettyTransportOptions options, SessionAcceptor acceptor) {
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        context.setContextPath("/");
        context.setErrorHandler(new JsonErrorHandler());
        context.getMimeTypes().addMimeMapping("js", "text/javascript;charset=utf-8");
        context.getMimeTypes().addMimeMapping("mjs", "text/javascript;charset=utf-8");
        // "ts" would otherwise be served as an MPEG transport stream.
        context.getMimeTypes().addMimeMapping("ts", "text/plain;charset=utf-8");

        context.addServlet(new ServletHolder("switchboard-health", new HealthServlet(acceptor)), "/health");
        if (options.metrics() != null) {
            context.addServlet(new ServletHolder("switchboard-metrics", new MetricsServlet(options.metrics())), "/metrics");
        }
        options.servlets().forEach((spec, servlet) -> context.addServlet(new ServletHolder(servlet), spec));
        if (acceptor instanceof Switchboard board) {
            mount(context, options.httpApi().services(board));
        }
        mount(context, options.httpServices());

        Resource statics = StaticResources.resolve(ResourceFactory.of(context), options.staticRoot(),
                options.staticClasspathBase());
        // Jetty's default alias check follows symlinks anywhere; serve only what lies inside the roots.
        context.clearAliasChecks();
        if (statics != null) {
            context.setBaseResource(statics);
            context.addAliasCheck(StaticResources.aliasCheck(statics));
            ServletHolder files = new ServletHolder("switchboard-static", DefaultServlet.class);
            files.setInitParameter("dirAllowed", "false");
            context.addServlet(files, "/");
        }
        return context;
    }
}
