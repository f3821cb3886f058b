package dev.switchboard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.Switchboard;
import dev.switchboard.spring.boot.app.TestApp;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Actuator's health endpoint has the {@code switchboard} component; the node's meters are in Boot's registry. */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ActuatorIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;
    @Autowired
    Switchboard board;
    @Autowired
    MeterRegistry registry;

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void healthReportsTheNodeTheBackplaneAndTheCluster() throws Exception {
        try (Recorder alice = Recorder.connect(Recorder.options(port, "alice").build())) {
            JsonNode health = get("/actuator/health/switchboard");
            assertThat(health.path("status").asText()).isEqualTo("UP");
            JsonNode details = health.path("details");
            assertThat(details.path("node").asText()).isEqualTo(board.nodeId());
            assertThat(details.path("connections").asInt()).isEqualTo(1);
            assertThat(details.path("backplane").path("name").asText()).isEqualTo("local");
            assertThat(details.path("backplane").path("up").asBoolean()).isTrue();
            assertThat(details.path("cluster").path("nodes").get(0).asText()).isEqualTo(board.nodeId());
            assertThat(get("/actuator/health").path("components").has("switchboard")).isTrue();
        }
    }

    @Test
    void theNodeIsBoundToBootsMeterRegistry() throws Exception {
        double opened = registry.get("switchboard.connections.opened").counter().count();
        try (Recorder alice = Recorder.connect(Recorder.options(port, "alice").build(), "greeting")) {
            alice.next();
            assertThat(registry.get("switchboard.connections").gauge().value()).isEqualTo(1.0);
            assertThat(registry.get("switchboard.connections.opened").counter().count()).isEqualTo(opened + 1);
            assertThat(registry.get("switchboard.backplane.up").gauge().value()).isEqualTo(1.0);
            alice.client.request("echo", "x").get(30, TimeUnit.SECONDS);
            // the same meters through Actuator's metrics endpoint
            assertThat(get("/actuator/metrics/switchboard.connections").path("measurements").get(0).path("value").asDouble())
                    .isEqualTo(1.0);
        }
    }
}
