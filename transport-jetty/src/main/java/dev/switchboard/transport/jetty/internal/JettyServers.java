package dev.switchboard.transport.jetty.internal;

import dev.switchboard.spi.SessionAcceptor;
import dev.switchboard.transport.jetty.JettyTransportOptions;
import dev.switchboard.transport.jetty.SwitchboardUpgradeFilter;
import jakarta.servlet.DispatcherType;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.EnumSet;
import java.util.List;
import org.eclipse.jetty.ee11.servlet.DefaultServlet;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.ee11.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.resource.Resource;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Assembles the embedded Jetty server of a {@link dev.switchboard.transport.jetty.JettyTransport}: one
 * connector (HTTP or HTTPS), a bounded thread pool, and one servlet context holding an upgrade filter
 * and a Jakarta WebSocket endpoint per mounted path, {@code /health}, {@code /metrics} when configured and
 * the static files.
 */
public final class JettyServers {

    private JettyServers() {
    }

    /**
     * One WebSocket endpoint to mount: its path (or URI template), the acceptor of its connections and
     * its Jakarta configuration.
     *
     * @param path the path within the context
     * @param acceptor the acceptor its upgrade filter authenticates with
     * @param config the endpoint configuration
     */
    public record Mount(String path, SessionAcceptor acceptor, ServerEndpointConfig config) {
    }

    /**
     * @param options the transport's options
     * @param acceptor the core, answering {@code /health}
     * @param endpoints the WebSocket endpoints: the protocol's at {@code options.path()}, then the plain ones
     * @return a server, not started
     */
    public static Server create(JettyTransportOptions options, SessionAcceptor acceptor, List<Mount> endpoints) {
        QueuedThreadPool pool = new QueuedThreadPool(options.maxThreads(), Math.min(8, options.maxThreads()));
        pool.setName("switchboard-jetty");
        Server server = new Server(pool);
        server.addConnector(connector(server, options));
        server.setHandler(context(server, options, acceptor, endpoints));
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

    private static ServletContextHandler context(Server server, JettyTransportOptions options,
                                                 SessionAcceptor acceptor, List<Mount> endpoints) {
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        context.setContextPath("/");
        context.getMimeTypes().addMimeMapping("js", "text/javascript;charset=utf-8");
        context.getMimeTypes().addMimeMapping("mjs", "text/javascript;charset=utf-8");
        // "ts" would otherwise be served as an MPEG transport stream.
        context.getMimeTypes().addMimeMapping("ts", "text/plain;charset=utf-8");

        JakartaWebSocketServletContainerInitializer.configure(context, (servletContext, container) -> {
            container.setDefaultMaxSessionIdleTimeout(options.idleTimeout().toMillis());
            int n = 0;
            for (Mount m : endpoints) {
                container.addEndpoint(m.config());
                // Runs after Jetty prepended its WebSocketUpgradeFilter; isMatchAfter=false prepends ours
                // ahead of it, so refusals are answered before Jetty attempts the upgrade.
                servletContext.addFilter("switchboard-upgrade-" + n++, new SwitchboardUpgradeFilter(m.acceptor(),
                        m.path())).addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
            }
        });

        context.addServlet(new ServletHolder("switchboard-health", new HealthServlet(acceptor)), "/health");
        if (options.metrics() != null) {
            context.addServlet(new ServletHolder("switchboard-metrics", new MetricsServlet(options.metrics())), "/metrics");
        }

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
