package dev.switchboard.spring.boot4;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.Switchboard;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.CloseStatus;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.spring.boot.internal.OpenSessions;
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
            assertThat(context.getBean(OpenSessions.class).writerKinds())
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
}
