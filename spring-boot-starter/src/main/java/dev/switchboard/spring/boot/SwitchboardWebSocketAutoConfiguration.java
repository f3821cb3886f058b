package dev.switchboard.spring.boot;

import dev.switchboard.Switchboard;
import dev.switchboard.spring.boot.internal.OpenSessions;
import dev.switchboard.spring.boot.internal.SwitchboardHandshakeInterceptor;
import dev.switchboard.spring.boot.internal.SwitchboardShutdown;
import dev.switchboard.spring.boot.internal.SwitchboardWebSocketHandler;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;

/**
 * Mounts the {@link Switchboard} node's WebSocket endpoint at {@code switchboard.path} in the servlet
 * container Boot runs (Tomcat, Jetty or Undertow), through Spring's own WebSocket support: the origin
 * check and the node's authenticator decide the upgrade (403/401 before it), and every connection is
 * closed with 1012 when the context closes (the node drains), before the web server stops.
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

    /** @return the registry of open Switchboard WebSockets */
    @Bean
    public OpenSessions switchboardOpenSessions() {
        return new OpenSessions();
    }

    /**
     * @param board the node
     * @param sessions the registry of open WebSockets
     * @return Spring's handler bridging each WebSocket to the node
     */
    @Bean
    public SwitchboardWebSocketHandler switchboardWebSocketHandler(Switchboard board, OpenSessions sessions) {
        return new SwitchboardWebSocketHandler(board, sessions);
    }

    /**
     * @param handler the handler
     * @param board the node
     * @param sessions the registry of open WebSockets
     * @param properties path and allowed origins
     * @return the registration of the endpoint
     */
    @Bean
    public WebSocketConfigurer switchboardWebSocketConfigurer(SwitchboardWebSocketHandler handler, Switchboard board,
                                                              OpenSessions sessions, SwitchboardProperties properties) {
        String[] origins = properties.getAllowedOrigins().toArray(String[]::new);
        return registry -> registry.addHandler(handler, properties.getPath())
                .addInterceptors(new SwitchboardHandshakeInterceptor(board, sessions, properties.getAllowedOrigins()))
                // Spring appends its own origin check after ours; given the same origins it agrees.
                .setAllowedOriginPatterns(origins);
    }

    /**
     * @param board the node
     * @param sessions the registry of open WebSockets
     * @param properties the shutdown timeout
     * @return the lifecycle that drains the node (clients closed with 1012) on shutdown
     */
    @Bean
    public SwitchboardShutdown switchboardShutdown(Switchboard board, OpenSessions sessions,
                                                   SwitchboardProperties properties) {
        return new SwitchboardShutdown(board, sessions, properties.getShutdownTimeout());
    }
}
