package dev.switchboard.transport.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Audience;
import dev.switchboard.Identity;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardOptions;
import dev.switchboard.testkit.Await;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A raw WebSocket offering cloudevents.json, as seed 002's browser snippet opens it, against real Jetty. */
class CloudEventsSubProtocolIntegrationTest {
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private JettyTransport serve(Switchboard board) {
        resources.add(board);
        JettyTransport t = JettyTransport.start(board, JettyTransportOptions.builder().host("127.0.0.1").port(0).build());
        resources.add(t);
        return t;
    }

    private RecordingClient connect(JettyTransport t, String user, String... protocols) {
        RecordingClient c = RecordingClient.to(URI.create(t.uri() + "?access_token=" + user))
                .subProtocols(protocols).connect();
        resources.add(c);
        return c;
    }

    @Test
    void eventsArriveAsCloudEventsAndCloudEventsReachHandlers() throws Exception {
        BlockingQueue<String> said = new LinkedBlockingQueue<>();
        Switchboard board = Switchboard.builder().authenticator(h -> Identity.user(h.bearerToken()))
                .cloudEventSource("/shop").build();
        board.on("chat.send", (conn, data) -> said.add(conn.identity().userId() + ":" + data.path("text").asText()));
        JettyTransport t = serve(board);
        RecordingClient ce = connect(t, "alice", "cloudevents.json");
        RecordingClient v1 = connect(t, "alice");
        v1.assertFrame("welcome");
        assertThat(ce.subProtocol()).isEqualTo("cloudevents.json");

        board.to(Audience.user("alice")).emit("notifications.drawer", Map.of("title", "New notification"));

        JsonNode e = ce.nextFrame();
        assertThat(e.path("specversion").asText()).as("no welcome first: %s", e).isEqualTo("1.0");
        assertThat(e.path("type").asText()).isEqualTo("notifications.drawer");
        assertThat(e.path("source").asText()).isEqualTo("/shop");
        assertThat(e.path("id").asText()).isNotEmpty();
        assertThat(e.path("time").asText()).isNotEmpty();
        assertThat(e.path("datacontenttype").asText()).isEqualTo("application/json");
        assertThat(e.path("data").path("title").asText()).isEqualTo("New notification");
        assertThat(v1.assertFrame("event").path("event").asText()).isEqualTo("notifications.drawer");

        ce.send("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/browser\",\"type\":\"chat.send\","
                + "\"data\":{\"text\":\"hi\"}}");
        assertThat(said.poll(10, TimeUnit.SECONDS)).isEqualTo("alice:hi");

        ce.send("{\"type\":\"emit\",\"event\":\"chat.send\",\"data\":\"v1 is not spoken here\"}");
        JsonNode error = ce.nextFrame();
        assertThat(error.path("type").asText()).isEqualTo("dev.switchboard.error");
        assertThat(error.path("data").path("code").asText()).isEqualTo("bad_request");
    }

    @Test
    void aQuietCloudEventsClientIsKeptAliveByWebSocketPings() {
        Switchboard board = Switchboard.builder().authenticator(h -> Identity.user(h.bearerToken()))
                .options(SwitchboardOptions.builder().heartbeat(Duration.ofSeconds(1)).build()).build();
        JettyTransport t = serve(board);
        RecordingClient ce = connect(t, "alice", "cloudevents.json");

        // A client silent for two heartbeat periods is closed at the tick after them (the second); a
        // third ping means the server heard the JDK's automatic pongs.
        Await.until(Duration.ofSeconds(30), () -> ce.pings() >= 3, "three WebSocket pings");

        assertThat(ce.isClosed()).isFalse();
        assertThat(board.connectionCount()).isEqualTo(1);
        ce.assertExhausted();
    }
}
