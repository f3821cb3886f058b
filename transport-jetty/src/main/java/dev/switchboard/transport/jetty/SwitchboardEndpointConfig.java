package dev.switchboard.transport.jetty;

import dev.switchboard.spi.SessionAcceptor;
import dev.switchboard.transport.jetty.internal.SwitchboardConfigurator;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import java.util.Objects;

/**
 * Creates the Jakarta {@link ServerEndpointConfig} that mounts Switchboard in a host application's own
 * Jakarta WebSocket container. ({@link JettyTransport} does not use it: it serves the same protocol on
 * Jetty's leaner WebSocket core API, with the same handshake checks.)
 *
 * <pre>{@code
 * ServerContainer container = ...; // the host's jakarta.websocket.server.ServerContainer
 * container.addEndpoint(SwitchboardEndpointConfig.create(board, "/ws"));
 * // and, so that refused handshakes get 401/403 before the upgrade on any container:
 * servletContext.addFilter("switchboard", new SwitchboardUpgradeFilter(board, "/ws"))
 *     .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
 * }</pre>
 *
 * <p>The configuration negotiates sub-protocol {@code switchboard.v1} (a client offering none is
 * accepted too), authenticates each upgrade exactly once through {@link SessionAcceptor#authenticate},
 * and does not negotiate {@code permessage-deflate}.
 */
public final class SwitchboardEndpointConfig {

    private SwitchboardEndpointConfig() {
    }

    /**
     * @param acceptor the core, usually the {@link dev.switchboard.Switchboard} node
     * @param path the endpoint path within the servlet context, e.g. {@code /ws}, or a URI template such
     *     as {@code /chat/{room}}
     * @return a configuration to pass to {@code ServerContainer.addEndpoint}
     */
    public static ServerEndpointConfig create(SessionAcceptor acceptor, String path) {
        return create(acceptor, path, List.of());
    }

    /**
     * @param acceptor the core, usually the {@link dev.switchboard.Switchboard} node
     * @param path the endpoint path within the servlet context
     * @param allowedOrigins the browser origins that may connect, checked here when no
     *     {@link SwitchboardUpgradeFilter} did (give both the same list): exact, {@code *} patterns, or
     *     {@code *} for any; empty for the same origin only (see docs/security.md)
     * @return a configuration to pass to {@code ServerContainer.addEndpoint}
     */
    public static ServerEndpointConfig create(SessionAcceptor acceptor, String path, List<String> allowedOrigins) {
        Objects.requireNonNull(acceptor, "acceptor");
        Objects.requireNonNull(path, "path");
        return ServerEndpointConfig.Builder.create(SwitchboardEndpoint.class, path)
                .subprotocols(acceptor.subProtocols())
                .configurator(new SwitchboardConfigurator(acceptor, path, List.copyOf(allowedOrigins)))
                .build();
    }
}
