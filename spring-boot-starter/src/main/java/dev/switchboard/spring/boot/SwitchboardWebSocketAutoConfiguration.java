package dev.switchboard.spring.boot;

import dev.switchboard.Switchboard;
import dev.switchboard.spi.SessionAcceptor;
import dev.switchboard.spring.boot.internal.SpringTransportSession;
import dev.switchboard.spring.boot.internal.SwitchboardHandshakeInterceptor;
import dev.switchboard.spring.boot.internal.SwitchboardShutdown;
import dev.switchboard.spring.boot.internal.SwitchboardWebSocketHandler;
import dev.switchboard.transport.internal.OpenSessions;
import dev.switchboard.transport.internal.OriginCheck;
import dev.switchboard.transport.internal.UpgradeGate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;

/**
 * Mounts the {@link Switchboard} node's WebSocket endpoint at {@code switchboard.path}, and each of its plain
 * endpoints ({@link Switchboard#plainEndpoint}) at its path template, in the servlet container Boot runs
 * (Tomcat, Jetty or Undertow), through Spring's own WebSocket support. The core's upgrade checks decide every
 * upgrade before it happens (allowed origins, connection limits, the authenticator: 401/403/429/503), and
 * every connection is closed with 1012 when the context closes (the node drains), before the web server stops.
 */
@AutoConfiguration(after = SwitchboardAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(WebSocketConfigurer.class)
@ConditionalOnBean(Switchboard.class)
@ConditionalOnProperty(prefix = "switchboard", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableWebSocket
public class SwitchboardWebSocketAutoConfiguration {

    /** Creates the auto-configuration; Spring does. */
    public SwitchboardWebSocketAutoConfiguration() {
    }

    /** @return the registry of open Switchboard WebSockets, of every endpoint */
    @Bean
    public OpenSessions<SpringTransportSession> switchboardOpenSessions() {
        return new OpenSessions<>();
    }

    /**
     * @return the small pool that runs what may block on Jakarta containers (close handshakes, pings); shut
     *     down with the context
     */
    @Bean(destroyMethod = "shutdown")
    public ExecutorService switchboardBlockingExecutor() {
        return SwitchboardWebSocketHandler.blockingPool();
    }

    /**
     * Registers the protocol endpoint, then every plain endpoint the configurers registered on the node
     * (read once here: a plain endpoint registered later fails with {@code IllegalStateException}).
     *
     * @param board the node
     * @param sessions the registry of open WebSockets
     * @param switchboardBlockingExecutor the pool for what may block
     * @param properties path and allowed origins
     * @return the registration of the endpoints
     * @throws IllegalArgumentException when an allowed origin is malformed, or a plain endpoint takes the
     *     protocol endpoint's path
     */
    @Bean
    public WebSocketConfigurer switchboardWebSocketConfigurer(Switchboard board, OpenSessions<SpringTransportSession> sessions,
                                                              ExecutorService switchboardBlockingExecutor,
                                                              SwitchboardProperties properties) {
        List<String> origins = List.copyOf(properties.getAllowedOrigins());
        OriginCheck.of(origins); // fails the start on a malformed entry, naming it
        Map<String, SessionAcceptor> endpoints = new LinkedHashMap<>();
        endpoints.put(properties.getPath(), board);
        board.plainEndpoints().forEach((path, plain) -> {
            if (path.equals(properties.getPath())) {
                throw new IllegalArgumentException("plain endpoint " + path + " takes the protocol endpoint's path; "
                        + "set switchboard.path to another one");
            }
            endpoints.put(path, plain);
        });
        return registry -> endpoints.forEach((path, acceptor) -> registry
                .addHandler(new SwitchboardWebSocketHandler(acceptor, sessions, switchboardBlockingExecutor), path)
                .addInterceptors(new SwitchboardHandshakeInterceptor(new UpgradeGate(acceptor, path, origins), sessions))
                // The gate checked the origin (the core's rule, as on every transport); Spring appends an origin
                // check of its own after our interceptor, which must not apply a second, different rule.
                .setAllowedOriginPatterns("*"));
    }

    /**
     * @param board the node
     * @param sessions the registry of open WebSockets
     * @param properties the shutdown timeout
     * @return the lifecycle that drains the node (clients closed with 1012) on shutdown
     */
    @Bean
    public SwitchboardShutdown switchboardShutdown(Switchboard board, OpenSessions<SpringTransportSession> sessions,
                                                   SwitchboardProperties properties) {
        return new SwitchboardShutdown(board, sessions, properties.getShutdownTimeout());
    }
}
