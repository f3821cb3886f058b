package dev.switchboard.transport.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Identity;
import dev.switchboard.Switchboard;
import dev.switchboard.http.ApiKeys;
import dev.switchboard.http.HttpApiOptions;
import dev.switchboard.http.servlet.HttpServiceServlet;
import dev.switchboard.spi.AuthenticationException;
import dev.switchboard.spi.Authenticator;
import jakarta.servlet.DispatcherType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
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

    private static final HttpClient HTTP = HttpClient.newHttpClient();
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

    @Test
    void theHttpServicesMountInTheHostsContainerToo() throws Exception {
        Switchboard board = Switchboard.builder().build();
        try {
            java.util.List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
            board.onCloudEvent("order.created", e -> heard.add(e.getId()));
            server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler("/app");
            HttpApiOptions.builder().emitApi(ApiKeys.of("host-key-0123456789abcdef")).build().services(board)
                    .forEach((path, service) -> context.addServlet(
                            new ServletHolder("switchboard" + path, new HttpServiceServlet(service)), path));
            server.setHandler(context);
            server.start();
            URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/app");

            HttpResponse<String> emit = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/emit"))
                    .header("Content-Type", "application/json").header("X-API-Key", "host-key-0123456789abcdef")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"1\",\"type\":\"t\",\"broadcast\":true}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> event = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/events"))
                    .header("Content-Type", "application/cloudevents+json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"specversion\":\"1.0\",\"id\":\"e-1\",\"source\":\"/s\",\"type\":\"order.created\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(emit.statusCode()).as(emit.body()).isEqualTo(202);
            assertThat(event.statusCode()).as(event.body()).isEqualTo(202);
            assertThat(heard).containsExactly("e-1");
        } finally {
            board.close();
        }
    }
}
