package dev.switchboard.transport.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Identity;
import dev.switchboard.spi.AuthenticationException;
import dev.switchboard.spi.Authenticator;
import jakarta.servlet.DispatcherType;
import java.net.URI;
import java.util.EnumSet;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Mounting the endpoint in a host application's own Jakarta container, as the README describes: a
 * plain Jetty server with a context path, no {@link JettyTransport}.
 */
class HostContainerIntegrationTest {
    private static final Authenticator TOKEN = handshake -> {
        String token = handshake.bearerToken();
        if ("secret".equals(token)) {
            return Identity.user("alice");
        }
        if ("banned".equals(token)) {
            throw AuthenticationException.forbidden("banned");
        }
        throw AuthenticationException.unauthorized("who are you?");
    };

    private Server server;

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    private URI startHost(EchoAcceptor acceptor, boolean withFilter) throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/app");
        JakartaWebSocketServletContainerInitializer.configure(context, (servletContext, container) -> {
            container.addEndpoint(SwitchboardEndpointConfig.create(acceptor, "/live"));
            if (withFilter) {
                servletContext.addFilter("switchboard", new SwitchboardUpgradeFilter(acceptor, "/live"))
                        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
            }
        });
        server.setHandler(context);
        server.start();
        return URI.create("ws://127.0.0.1:" + connector.getLocalPort() + "/app/live");
    }

    @Test
    void withFilterRefusesBeforeUpgradeAndAuthenticatesOnce() throws Exception {
        EchoAcceptor acceptor = new EchoAcceptor(TOKEN, 1024);
        URI uri = startHost(acceptor, true);

        assertThat(RecordingClient.to(uri).refusedStatus()).isEqualTo(401);
        assertThat(RecordingClient.to(uri).header("Authorization", "Bearer banned").refusedStatus()).isEqualTo(403);
        try (RecordingClient client = RecordingClient.to(uri).header("Authorization", "Bearer secret").connect()) {
            assertThat(client.assertFrame("welcome").path("user").asText()).isEqualTo("alice");
        }
        assertThat(acceptor.authentications).hasValue(3);
        assertThat(acceptor.handshakes.get(2).path()).isEqualTo("/app/live");
    }

    @Test
    void withoutFilterJettyStillAnswersRefusalsWithTheirStatus() throws Exception {
        EchoAcceptor acceptor = new EchoAcceptor(TOKEN, 1024);
        URI uri = startHost(acceptor, false);

        assertThat(RecordingClient.to(uri).refusedStatus()).isEqualTo(401);
        assertThat(RecordingClient.to(uri).header("Authorization", "Bearer banned").refusedStatus()).isEqualTo(403);
        assertThat(acceptor.opened).isEmpty();
        try (RecordingClient client = RecordingClient.to(URI.create(uri + "?access_token=secret")).connect()) {
            assertThat(client.assertFrame("welcome").path("user").asText()).isEqualTo("alice");
        }
        // The configurator authenticated by itself, still once per upgrade, and saw the peer's address.
        assertThat(acceptor.authentications).hasValue(3);
        assertThat(acceptor.handshakes.get(2).path()).isEqualTo("/app/live");
        assertThat(acceptor.handshakes.get(2).queryParam("access_token")).isEqualTo("secret");
        assertThat(acceptor.handshakes.get(2).remoteAddress()).isNotNull();
    }
}
