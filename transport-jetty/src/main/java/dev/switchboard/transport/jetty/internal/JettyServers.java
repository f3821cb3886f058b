package dev.switchboard.transport.jetty.internal;

import dev.switchboard.spi.SessionAcceptor;
import dev.switchboard.transport.jetty.JettyTransportOptions;
import dev.switchboard.transport.jetty.SwitchboardUpgradeFilter;
import jakarta.servlet.DispatcherType;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.EnumSet;
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
 * connector (HTTP or HTTPS), a bounded thread pool, and one servlet context holding the upgrade filter,
 * the Jakarta WebSocket endpoint, {@code /health} and the static files.
 */
public final class JettyServers {

    private JettyServers() {
    }

    /**
     * @param options the transport's options
     * @param acceptor the core
     * @param endpoint the endpoint configuration to mount at {@code options.path()}
     * @return a server, not started
     */
    public static Server create(JettyTransportOptions options, SessionAcceptor acceptor,
                                ServerEndpointConfig endpoint) {
        QueuedThreadPool pool = new QueuedThreadPool(options.maxThreads(), Math.min(8, options.maxThreads()));
        pool.setName("switchboard-jetty");
        Server server = new Server(pool);
        server.addConnector(connector(server, options));
        server.setHandler(context(server, options, acceptor, endpoint));
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
                                                 SessionAcceptor acceptor, ServerEndpointConfig endpoint) {
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        context.setContextPath("/");
        context.setErrorHandler(new JsonErrorHandler());
        context.getMimeTypes().addMimeMapping("js", "text/javascript;charset=utf-8");
        context.getMimeTypes().addMimeMapping("mjs", "text/javascript;charset=utf-8");
        // "ts" would otherwise be served as an MPEG transport stream.
        context.getMimeTypes().addMimeMapping("ts", "text/plain;charset=utf-8");

        JakartaWebSocketServletContainerInitializer.configure(context, (servletContext, container) -> {
            container.setDefaultMaxSessionIdleTimeout(options.idleTimeout().toMillis());
            container.addEndpoint(endpoint);
            // Runs after Jetty prepended its WebSocketUpgradeFilter; isMatchAfter=false prepends ours
            // ahead of it, so refusals are answered before Jetty attempts the upgrade.
            servletContext.addFilter("switchboard-upgrade", new SwitchboardUpgradeFilter(acceptor, options.path()))
                    .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
        });

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
