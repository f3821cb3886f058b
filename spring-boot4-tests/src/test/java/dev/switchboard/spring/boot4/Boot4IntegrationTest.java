package dev.switchboard.spring.boot4;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.Switchboard;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.CloseStatus;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.spring.boot.internal.SpringTransportSession;
import dev.switchboard.transport.internal.OpenSessions;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The starter built for Boot 3.5 in a Spring Boot 4 application (Spring Framework 7, Jackson 3 as Boot's JSON
 * library), on Tomcat 11 and again on Jetty 12.1: real clients, health, metrics, and 1012 (drain) at shutdown.
 */
class Boot4IntegrationTest {
    private static final String CONTAINER = System.getProperty("switchboard.test.container", "tomcat");

    private static SwitchboardClient client(int port, String token, BlockingQueue<String> events) {
        SwitchboardClient c = SwitchboardClient.create(ClientOptions.builder(URI.create("ws://127.0.0.1:" + port + "/ws"))
                .token(token).reconnect(false).connectTimeout(java.time.Duration.ofSeconds(30)).build());
        c.on("greeting", String.class, (text, topic) -> events.add(text));
        c.on("chat.message", String.class, (text, topic) -> events.add(text));
        c.connect().orTimeout(30, TimeUnit.SECONDS).join();
        return c;
    }

    private static String next(BlockingQueue<String> events) throws InterruptedException {
        String e = events.poll(30, TimeUnit.SECONDS);
        assertThat(e).as("an event within 10 s").isNotNull();
        return e;
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theStarterWorksOnBoot4() throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(Boot4App.class).properties("server.port=0").run();
        try {
            int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
            assertThat(context.getClass().getName()).contains("ServletWebServerApplicationContext");
            assertThat(context.getEnvironment().getProperty("local.server.port")).isNotNull();
            Switchboard board = context.getBean(Switchboard.class);
            BlockingQueue<String> alice = new LinkedBlockingQueue<>();
            BlockingQueue<String> bob = new LinkedBlockingQueue<>();
            SwitchboardClient a = client(port, "alice", alice);
            SwitchboardClient b = client(port, "bob", bob);
            assertThat(next(alice)).isEqualTo("hi alice");
            assertThat(next(bob)).isEqualTo("hi bob");
            a.emit("chat.send", "hello");
            assertThat(next(alice)).isEqualTo("alice: hello");
            assertThat(next(bob)).isEqualTo("alice: hello");
            assertThat(a.request("echo", Map.of("x", 1)).get(30, TimeUnit.SECONDS).path("x").asInt()).isEqualTo(1);
            assertThat(((OpenSessions<?>) context.getBean(OpenSessions.class)).snapshot().stream()
                    .map(s -> ((SpringTransportSession) s).writerKind()))
                    .containsOnly(CONTAINER.equals("jetty") ? "jetty-core" : "jakarta-async");

            HttpResponse<String> refused = get(port, "/ws");
            assertThat(refused.statusCode()).as("a plain GET of the endpoint").isIn(400, 401, 426);

            JsonNode health = new ObjectMapper().readTree(get(port, "/actuator/health/switchboard").body());
            assertThat(health.path("status").asText()).isEqualTo("UP");
            assertThat(health.path("details").path("node").asText()).isEqualTo(board.nodeId());
            assertThat(health.path("details").path("connections").asInt()).isEqualTo(2);
            assertThat(context.getBean(MeterRegistry.class).get("switchboard.connections").gauge().value()).isEqualTo(2.0);
            assertThat(get(port, "/switchboard.js").statusCode()).isEqualTo(200);

            Boot4App app = context.getBean(Boot4App.class);
            context.close();
            CloseStatus closed = a.closeFuture().get(30, TimeUnit.SECONDS);
            assertThat(closed.code()).isEqualTo(1012);
            assertThat(b.closeFuture().get(30, TimeUnit.SECONDS).code()).isEqualTo(1012);
            assertThat(app.disconnects).containsExactlyInAnyOrder("alice:1012", "bob:1012");
        } finally {
            context.close();
        }
    }

    @Test
    void httpEndpointsPlainEndpointsAndOriginsWorkOnBoot4() throws Exception {
        String key = "orders-service-key-0123456789";
        ConfigurableApplicationContext context = new SpringApplicationBuilder(Boot4App.class).properties("server.port=0",
                "switchboard.http.emit.enabled=true", "switchboard.http.emit.api-keys.orders=" + key,
                "switchboard.http.events.enabled=true").run();
        try {
            int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
            BlockingQueue<String> alice = new LinkedBlockingQueue<>();
            SwitchboardClient a = client(port, "alice", alice);
            assertThat(next(alice)).isEqualTo("hi alice");

            HttpResponse<String> emitted = post(port, "/api/emit", "application/json",
                    "{\"id\":\"m-1\",\"type\":\"chat.message\",\"users\":[\"alice\"],\"payload\":\"from http\"}",
                    "Authorization", "Bearer " + key);
            assertThat(emitted.statusCode()).as(emitted.body()).isEqualTo(202);
            assertThat(next(alice)).isEqualTo("from http");
            HttpResponse<String> unauthorized = post(port, "/api/emit", "application/json", "{}");
            assertThat(unauthorized.statusCode()).isEqualTo(401);
            assertThat(unauthorized.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");

            HttpResponse<String> event = post(port, "/events", "application/cloudevents+json",
                    "{\"specversion\":\"1.0\",\"id\":\"e-1\",\"source\":\"/shop\",\"type\":\"order.created\","
                            + "\"data\":{\"customerId\":\"alice\",\"orderCode\":\"7\"}}");
            assertThat(event.statusCode()).as(event.body()).isEqualTo(202);
            assertThat(next(alice)).isEqualTo("order 7");

            // a plain endpoint: bare text frames
            BlockingQueue<String> plain = new LinkedBlockingQueue<>();
            java.net.http.WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/chat/Carol"), new java.net.http.WebSocket.Listener() {
                        @Override
                        public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket w, CharSequence data,
                                                                               boolean last) {
                            plain.add(data.toString());
                            w.request(1);
                            return null;
                        }
                    }).get(30, TimeUnit.SECONDS);
            assertThat(next(plain)).isEqualTo("Hi Carol!");
            ws.sendText("hello", true).join();
            assertThat(next(alice)).isEqualTo("Carol: hello");
            ws.abort();

            // the same origin rule as every transport: same origin only by default
            assertThat(upgradeStatus(port, "http://127.0.0.1:" + port)).isEqualTo(101);
            assertThat(upgradeStatus(port, "http://evil.example")).isEqualTo(403);
            a.close();
        } finally {
            context.close();
        }
    }

    private static HttpResponse<String> post(int port, String path, String contentType, String body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A hand-written upgrade request: the JDK clients will not send an Origin header themselves. */
    private static int upgradeStatus(int port, String origin) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET /ws?access_token=alice HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: " + origin + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] head = socket.getInputStream().readNBytes(12);
            return Integer.parseInt(new String(head, java.nio.charset.StandardCharsets.US_ASCII).substring(9, 12));
        }
    }
}
