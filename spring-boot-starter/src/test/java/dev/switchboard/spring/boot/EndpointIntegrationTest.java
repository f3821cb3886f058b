package dev.switchboard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.Switchboard;
import dev.switchboard.client.RemoteCollection;
import dev.switchboard.spring.boot.app.TestApp;
import dev.switchboard.spring.boot.internal.SpringTransportSession;
import dev.switchboard.testkit.RecordingSocket;
import dev.switchboard.transport.internal.OpenSessions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;

/**
 * The endpoint mounted in Boot's own container, with real clients on a random port. Runs on Tomcat, and
 * again on Jetty and on Undertow (the {@code containers} surefire runs, each with only that container on the
 * class path).
 */
@Tag("containers")
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "switchboard.max-frame-bytes=32768")
class EndpointIntegrationTest {
    private static final String CONTAINER = System.getProperty("switchboard.test.container", "tomcat");

    @LocalServerPort
    int port;
    @Autowired
    ServletWebServerApplicationContext context;
    @Autowired
    Switchboard board;
    @Autowired
    OpenSessions<SpringTransportSession> sessions;

    @Test
    void runsInTheContainerThisRunIsFor() {
        assertThat(context.getWebServer().getClass().getSimpleName().toLowerCase(Locale.ROOT)).contains(CONTAINER);
    }

    @Test
    void clientsAreGreetedChatAndGetReplies() throws Exception {
        try (Recorder alice = Recorder.connect(Recorder.options(port, "alice").build(), "greeting", TestApp.MESSAGE);
             Recorder bob = Recorder.connect(Recorder.options(port, "bob").build(), "greeting", TestApp.MESSAGE)) {
            alice.assertEvent("greeting", "hi alice");
            bob.assertEvent("greeting", "hi bob");
            assertThat(alice.client.nodeId()).isEqualTo(board.nodeId());

            alice.client.emit("chat.send", "hello");
            alice.assertEvent(TestApp.MESSAGE, "alice: hello");
            bob.assertEvent(TestApp.MESSAGE, "alice: hello");

            JsonNode echoed = alice.client.request("echo", Map.of("x", 1)).get(30, TimeUnit.SECONDS);
            assertThat(echoed.path("x").asInt()).isEqualTo(1);
        }
    }

    @Test
    void writesFramesTheFastestWayTheContainerAllows() {
        try (Recorder alice = Recorder.connect(Recorder.options(port, "alice").build())) {
            // Jetty: the shared pre-encoded bytes through Jetty's core session; elsewhere the async Jakarta API.
            assertThat(sessions.snapshot().stream().map(SpringTransportSession::writerKind)).containsExactly(CONTAINER.equals("jetty") ? "jetty-core" : "jakarta-async");
        }
    }

    @Test
    void aRepositoryBeanIsACrudCollectionNamedAfterTheBean() throws Exception {
        try (Recorder alice = Recorder.connect(Recorder.options(port, "alice").build())) {
            RemoteCollection<ObjectNode> tasks = alice.client.collection("tasks");
            ObjectNode created = tasks.create(alice.client.mapper().createObjectNode().put("title", "write docs"))
                    .get(30, TimeUnit.SECONDS);
            assertThat(created.path("id").asText()).isNotEmpty();
            assertThat(tasks.get(created.path("id").asText()).get(30, TimeUnit.SECONDS).path("title").asText())
                    .isEqualTo("write docs");
        }
    }

    @Test
    void anUpgradeWithoutTokenIsRefusedWith401AndAJsonBody() throws Exception {
        RawHttp r = RawHttp.upgrade(port, "/ws", "");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.head()).contains("www-authenticate: bearer").contains("content-type: application/json");
        assertThat(r.body()).contains("\"code\":\"unauthorized\"").contains("a token is required");
    }

    @Test
    void aRefusedIdentityGets403() throws Exception {
        RawHttp r = RawHttp.upgrade(port, "/ws?access_token=banned", "");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body()).contains("\"code\":\"forbidden\"");
    }

    @Test
    void aForeignOriginIsRefusedWith403BeforeAuthentication() throws Exception {
        RawHttp r = RawHttp.upgrade(port, "/ws", "Origin: http://evil.example\r\n");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body()).contains("origin not allowed");
    }

    @Test
    void withoutAllowedOriginsOnlyTheSameOriginMayUpgrade() throws Exception {
        for (String other : List.of("http://localhost:" + port, "http://127.0.0.1:" + (port == 1 ? 2 : port - 1),
                "https://127.0.0.1", "null")) {
            assertThat(RawHttp.upgrade(port, "/ws?access_token=alice", "Origin: " + other + "\r\n").status()).as(other)
                    .isEqualTo(403);
        }
        assertThat(RawHttp.upgrade(port, "/ws?access_token=alice", "").status()).as("not a browser").isEqualTo(101);
    }

    @Test
    void thePagesOwnOriginAndTheProtocolAreAccepted() throws Exception {
        RawHttp r = RawHttp.upgrade(port, "/ws?access_token=alice",
                "Origin: http://127.0.0.1:" + port + "\r\nSec-WebSocket-Protocol: switchboard.v1\r\n");
        assertThat(r.status()).isEqualTo(101);
        assertThat(r.head()).contains("sec-websocket-protocol: switchboard.v1");
    }

    @Test
    void aLargeFrameUnderTheLimitIsHandledAndOneOverItClosesWith1009() throws Exception {
        try (Recorder alice = Recorder.connect(Recorder.options(port, "alice").build())) {
            // bigger than the containers' default 8 KiB message buffers, smaller than max-frame-bytes
            String large = "x".repeat(20_000);
            assertThat(alice.client.request("echo", large).get(30, TimeUnit.SECONDS).asText()).isEqualTo(large);
        }
        try (RecordingSocket carol = RecordingSocket.connect(URI.create("ws://127.0.0.1:" + port + "/ws"),
                Map.of("Authorization", "Bearer carol"))) {
            carol.send("{\"type\":\"emit\",\"event\":\"chat.send\",\"data\":\"" + "y".repeat(40_000) + "\"}");
            assertThat(carol.awaitClose().code()).isEqualTo(1009);
        }
    }

    @Test
    void theJavaScriptClientIsServedAtSwitchboardJs() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/switchboard.js")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("export function connect");
        assertThat(List.of(r.headers().firstValue("content-type").orElse(""))).anyMatch(t -> t.contains("javascript"));
    }
}
