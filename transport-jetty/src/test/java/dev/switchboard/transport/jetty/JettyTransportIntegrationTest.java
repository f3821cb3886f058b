package dev.switchboard.transport.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.Identity;
import dev.switchboard.spi.AuthenticationException;
import dev.switchboard.spi.Authenticator;
import dev.switchboard.spi.EncodedFrame;
import dev.switchboard.spi.Handshake;
import dev.switchboard.transport.jetty.internal.CoreTransportSession;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The transport against a small echo acceptor: real Jetty on a free port, real JDK WebSocket clients. */
class JettyTransportIntegrationTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private JettyTransport start(EchoAcceptor acceptor, JettyTransportOptions.Builder options) {
        JettyTransport t = JettyTransport.start(acceptor, options.host("127.0.0.1").port(0).build());
        resources.add(t);
        return t;
    }

    private JettyTransport start(EchoAcceptor acceptor) {
        return start(acceptor, JettyTransportOptions.builder());
    }

    private RecordingClient connect(RecordingClient.Builder builder) {
        RecordingClient c = builder.connect();
        resources.add(c);
        return c;
    }

    /** A token authenticator: "good-*" → that user, "banned" → 403, anything else → 401. */
    private static final Authenticator TOKENS = handshake -> {
        String token = handshake.bearerToken();
        if (token == null) {
            throw AuthenticationException.unauthorized("token required");
        }
        if (token.equals("banned")) {
            throw AuthenticationException.forbidden("banned");
        }
        if (!token.startsWith("good-")) {
            throw AuthenticationException.unauthorized("bad token");
        }
        return Identity.user(token.substring(5));
    };

    @Test
    void bindsFreePortAndWelcomesClient() {
        EchoAcceptor acceptor = new EchoAcceptor();
        JettyTransport transport = start(acceptor);

        assertThat(transport.port()).isPositive();
        assertThat(transport.uri()).isEqualTo(URI.create("ws://127.0.0.1:" + transport.port() + "/ws"));
        RecordingClient client = connect(RecordingClient.to(transport.uri()));

        assertThat(client.assertFrame("welcome").path("user").asText()).isEqualTo("anonymous");
        client.send("{\"type\":\"emit\",\"event\":\"x\"}");
        assertThat(client.assertFrame("emit").path("event").asText()).isEqualTo("x");
        assertThat(acceptor.nextOpened().next()).isEqualTo("text:{\"type\":\"emit\",\"event\":\"x\"}");
    }

    @Test
    void oneEncodedFrameIsWrittenToManyConnections() {
        EchoAcceptor acceptor = new EchoAcceptor();
        JettyTransport transport = start(acceptor);
        List<RecordingClient> clients = new ArrayList<>();
        List<EchoAcceptor.Opened> sessions = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RecordingClient c = connect(RecordingClient.to(transport.uri()));
            c.assertFrame("welcome");
            clients.add(c);
            sessions.add(acceptor.nextOpened());
        }
        byte[] bytes = "{\"type\":\"event\",\"event\":\"news\",\"data\":\"ünïcødé\"}".getBytes(StandardCharsets.UTF_8);
        byte[] copy = bytes.clone();
        EncodedFrame frame = EncodedFrame.ofBytes(bytes);
        List<CompletableFuture<Throwable>> done = new ArrayList<>();

        for (EchoAcceptor.Opened s : sessions) {
            assertThat(s.session()).isInstanceOf(CoreTransportSession.class); // Jetty's core API: shared buffers
            CompletableFuture<Throwable> d = new CompletableFuture<>();
            s.session().send(frame, d::complete);
            done.add(d);
        }

        for (RecordingClient c : clients) {
            assertThat(c.assertFrame("event").path("data").asText()).isEqualTo("ünïcødé");
        }
        assertThat(done).allSatisfy(d -> assertThat(d).succeedsWithin(RecordingClient.TIMEOUT).isNull());
        assertThat(bytes).isEqualTo(copy);
    }

    @Test
    void negotiatesSubProtocolV1WhenOffered() {
        EchoAcceptor acceptor = new EchoAcceptor();
        JettyTransport transport = start(acceptor);

        RecordingClient client = connect(RecordingClient.to(transport.uri()).subProtocols("other", "switchboard.v1"));

        assertThat(client.subProtocol()).isEqualTo("switchboard.v1");
        assertThat(acceptor.nextOpened().session().subProtocol()).isEqualTo("switchboard.v1");
        assertThat(acceptor.handshakes.get(0).subProtocols()).containsExactly("other", "switchboard.v1");
        client.assertFrame("welcome");
    }

    @Test
    void acceptsClientOfferingNoSubProtocol() {
        EchoAcceptor acceptor = new EchoAcceptor();
        JettyTransport transport = start(acceptor);

        RecordingClient client = connect(RecordingClient.to(transport.uri()));

        assertThat(client.subProtocol()).isEmpty();
        assertThat(acceptor.nextOpened().session().subProtocol()).isNull();
        client.assertFrame("welcome");
    }

    @Test
    void refusesWith401BeforeUpgradeAndAuthenticatesOnce() {
        EchoAcceptor acceptor = new EchoAcceptor(TOKENS, 1024);
        JettyTransport transport = start(acceptor);

        assertThat(RecordingClient.to(transport.uri()).refusedStatus()).isEqualTo(401);
        assertThat(RecordingClient.to(transport.uri()).header("Authorization", "Bearer nope").refusedStatus())
                .isEqualTo(401);
        assertThat(acceptor.authentications).hasValue(2);
        assertThat(acceptor.opened).isEmpty();
    }

    @Test
    void refusesWith403() {
        EchoAcceptor acceptor = new EchoAcceptor(TOKENS, 1024);
        JettyTransport transport = start(acceptor);

        assertThat(RecordingClient.to(URI.create(transport.uri() + "?access_token=banned")).refusedStatus())
                .isEqualTo(403);
    }

    @Test
    void refusalBodyUsesWireErrorShape() throws Exception {
        EchoAcceptor acceptor = new EchoAcceptor(TOKENS, 1024);
        JettyTransport transport = start(acceptor);

        RawUpgrade response = RawUpgrade.send(transport.port(), "/ws");

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.head()).contains("www-authenticate: bearer", "content-type: application/json");
        JsonNode body = MAPPER.readTree(response.body());
        assertThat(body.at("/error/code").asText()).isEqualTo("unauthorized");
        assertThat(body.at("/error/message").asText()).isEqualTo("token required");
    }

    @Test
    void bearerHeaderReachesAuthenticatorOnce() {
        EchoAcceptor acceptor = new EchoAcceptor(TOKENS, 1024);
        JettyTransport transport = start(acceptor);

        RecordingClient client = connect(RecordingClient.to(transport.uri()).header("Authorization", "Bearer good-alice"));

        assertThat(client.assertFrame("welcome").path("user").asText()).isEqualTo("alice");
        assertThat(acceptor.authentications).hasValue(1);
        Handshake handshake = acceptor.handshakes.get(0);
        assertThat(handshake.bearerToken()).isEqualTo("good-alice");
        assertThat(handshake.path()).isEqualTo("/ws");
        assertThat(handshake.remoteAddress()).isNotNull();
        assertThat(handshake.remoteAddress().getAddress().isLoopbackAddress()).isTrue();
        assertThat(acceptor.nextOpened().session().handshake()).isSameAs(handshake);
    }

    @Test
    void accessTokenQueryReachesAuthenticator() {
        EchoAcceptor acceptor = new EchoAcceptor(TOKENS, 1024);
        JettyTransport transport = start(acceptor);

        RecordingClient client = connect(RecordingClient.to(URI.create(transport.uri() + "?access_token=good-bob&x=1&x=2")));

        assertThat(client.assertFrame("welcome").path("user").asText()).isEqualTo("bob");
        Handshake handshake = acceptor.handshakes.get(0);
        assertThat(handshake.queryParam("access_token")).isEqualTo("good-bob");
        assertThat(handshake.query().get("x")).containsExactly("1", "2");
    }

    @Test
    void oversizedTextFrameClosesWith1009() {
        EchoAcceptor acceptor = new EchoAcceptor(Authenticator.anonymous(), 300);
        JettyTransport transport = start(acceptor);
        RecordingClient client = connect(RecordingClient.to(transport.uri()));
        client.assertFrame("welcome");
        EchoAcceptor.Opened conn = acceptor.nextOpened();

        client.send("x".repeat(300)); // exactly the limit: accepted
        assertThat(conn.next()).isEqualTo("text:" + "x".repeat(300));
        client.send("x".repeat(301));

        client.assertClosed(1009);
        assertThat(conn.awaitClosed()).isEqualTo(1009);
    }

    @Test
    void binaryFrameIsReportedBySize() {
        EchoAcceptor acceptor = new EchoAcceptor();
        JettyTransport transport = start(acceptor);
        RecordingClient client = connect(RecordingClient.to(transport.uri()));
        client.assertFrame("welcome");

        client.sendBinary(new byte[42]);

        assertThat(acceptor.nextOpened().next()).isEqualTo("binary:42");
    }

    @Test
    void uriTemplatePathReachesCoreAsConcretePath() {
        EchoAcceptor acceptor = new EchoAcceptor(TOKENS, 1024);
        JettyTransport transport = start(acceptor, JettyTransportOptions.builder().path("/chat/{room}"));

        RecordingClient client = connect(RecordingClient.to(transport.uri("/chat/lobby"))
                .header("Authorization", "Bearer good-carol"));

        client.assertFrame("welcome");
        assertThat(acceptor.handshakes).extracting(Handshake::path).containsExactly("/chat/lobby");
        // The endpoint matched the template and authenticated once.
        assertThat(acceptor.authentications).hasValue(1);
        assertThat(RecordingClient.to(transport.uri("/chat/lobby")).refusedStatus()).isEqualTo(401);
        // An encoded segment: matched on the decoded path, still one authentication per upgrade.
        connect(RecordingClient.to(transport.uri("/chat/a b")).header("Authorization", "Bearer good-dan"))
                .assertFrame("welcome");
        assertThat(acceptor.handshakes).extracting(Handshake::path).contains("/chat/a b");
        assertThat(acceptor.authentications).hasValue(3);
        assertThat(RecordingClient.to(transport.uri("/chat")).refusedStatus()).isEqualTo(404);
    }

    @Test
    void closeSendsGoingAwayToClientsAndClosesHandlersOnce() {
        EchoAcceptor acceptor = new EchoAcceptor();
        JettyTransport transport = JettyTransport.start(acceptor, JettyTransportOptions.builder().port(0).build());
        resources.add(transport);
        RecordingClient a = connect(RecordingClient.to(transport.uri()));
        RecordingClient b = connect(RecordingClient.to(transport.uri()));
        a.assertFrame("welcome");
        b.assertFrame("welcome");

        transport.close();
        transport.close(); // idempotent

        a.assertClosed(1001);
        b.assertClosed(1001);
        assertThat(acceptor.nextOpened().awaitClosed()).isEqualTo(1001);
        assertThat(acceptor.nextOpened().awaitClosed()).isEqualTo(1001);
        assertThatThrownBy(() -> transport.start(acceptor)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void droppedClientIsReportedAs1006() {
        EchoAcceptor acceptor = new EchoAcceptor();
        JettyTransport transport = start(acceptor);
        RecordingClient client = connect(RecordingClient.to(transport.uri()));
        client.assertFrame("welcome");
        EchoAcceptor.Opened conn = acceptor.nextOpened();

        client.abort();

        assertThat(conn.awaitClosed()).isEqualTo(1006);
    }

    @Test
    void serverCloseIsGracefulAndIdempotent() {
        EchoAcceptor acceptor = new EchoAcceptor();
        JettyTransport transport = start(acceptor);
        RecordingClient client = connect(RecordingClient.to(transport.uri()));
        client.assertFrame("welcome");
        EchoAcceptor.Opened conn = acceptor.nextOpened();

        conn.session().close(4000, "é".repeat(100)); // 200 bytes: cut to 123 on a character boundary
        conn.session().close(1000, "ignored: already closing");

        assertThat(client.assertClosed(4000).reason()).isEqualTo("é".repeat(61));
        assertThat(conn.awaitClosed()).isEqualTo(4000);
    }

    @Test
    void abortDropsTheTcpConnection() throws Exception {
        EchoAcceptor acceptor = new EchoAcceptor();
        JettyTransport transport = start(acceptor);
        try (Socket socket = RawUpgrade.upgraded(transport.port(), "/ws")) {
            EchoAcceptor.Opened conn = acceptor.nextOpened();
            InputStream in = socket.getInputStream();
            byte[] header = in.readNBytes(2); // an unmasked, short, final TEXT frame: 0x81, length
            assertThat(header[0]).isEqualTo((byte) 0x81);
            assertThat(new String(in.readNBytes(header[1]), StandardCharsets.UTF_8)).contains("welcome");

            conn.session().abort();

            assertThat(conn.awaitClosed()).isEqualTo(1006);
            // End of stream (or a reset), with no close frame before it, and no hanging socket.
            try {
                assertThat(in.readAllBytes()).isEmpty();
            } catch (SocketException reset) {
                assertThat(reset).hasMessageContaining("reset");
            }
        }
    }

    @Test
    void idleConnectionIsDroppedWithErrorThenOneClose() {
        EchoAcceptor acceptor = new EchoAcceptor();
        JettyTransport transport = start(acceptor, JettyTransportOptions.builder().idleTimeout(Duration.ofMillis(300)));
        RecordingClient client = connect(RecordingClient.to(transport.uri()));
        client.assertFrame("welcome");
        EchoAcceptor.Opened conn = acceptor.nextOpened();

        assertThat(conn.next()).startsWith("error:");
        assertThat(conn.next()).startsWith("closed:");
        client.awaitClose();
    }
}
