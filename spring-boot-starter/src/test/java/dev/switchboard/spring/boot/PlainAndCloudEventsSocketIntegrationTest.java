package dev.switchboard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.Audience;
import dev.switchboard.Switchboard;
import dev.switchboard.spring.boot.httpapp.HttpApp;
import dev.switchboard.testkit.RecordingSocket;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Bare browser-style WebSockets in Boot's container: a plain endpoint ({@code board.plainEndpoint}) and the
 * {@code cloudevents.json} sub-protocol, both kept alive by WebSocket pings they answer. On every container.
 */
@Tag("containers")
@SpringBootTest(classes = HttpApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"switchboard.heartbeat=2s", "switchboard.cloud-event-source=/shop"})
class PlainAndCloudEventsSocketIntegrationTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @LocalServerPort
    int port;
    @Autowired
    Switchboard board;
    @Autowired
    HttpApp app;

    private URI ws(String path) {
        return URI.create("ws://127.0.0.1:" + port + path);
    }

    @Test
    void plainClientsChatWithEachOtherAndWithProtocolClients() throws Exception {
        try (Recorder alice = Recorder.connect(Recorder.options(port, "alice").build(), "chat.message");
             RecordingSocket carol = RecordingSocket.connect(ws("/chat/Carol"));
             RecordingSocket dave = RecordingSocket.connect(ws("/chat/Dave"))) {
            assertThat(carol.nextText()).isEqualTo("Hi Carol!");
            assertThat(dave.nextText()).isEqualTo("Hi Dave!");
            assertThat(carol.subProtocol()).as("a plain endpoint speaks no sub-protocol").isEmpty();

            carol.send("hello");

            assertThat(carol.nextText()).isEqualTo("Carol: hello");
            assertThat(dave.nextText()).isEqualTo("Carol: hello");
            alice.assertEvent("chat.message", "Carol: hello");
        }
    }

    @Test
    void aPlainClientIsKeptAliveByPingsItAnswers() throws Exception {
        try (RecordingSocket erin = RecordingSocket.connect(ws("/chat/Erin"))) {
            assertThat(erin.nextText()).isEqualTo("Hi Erin!");
            // Three heartbeats passed, each answered with a pong: without the pongs reaching the core it would
            // have closed the connection with 4000 after two.
            erin.awaitPing(3);
            assertThat(erin.isClosed()).isFalse();
            erin.send("still here");
            assertThat(erin.nextText()).isEqualTo("Erin: still here");
        }
    }

    @Test
    void aPlainClientThatDoesNotAnswerPingsIsClosedWith4000() throws Exception {
        // A raw socket reads the server's frames but never answers a ping.
        try (java.net.Socket silent = RawHttp.upgradedSocket(port, "/chat/Frank")) {
            java.io.DataInputStream in = new java.io.DataInputStream(silent.getInputStream());
            silent.setSoTimeout(30_000);
            while (true) {
                int opcode = in.readUnsignedByte() & 0x0F;
                int length = in.readUnsignedByte() & 0x7F; // server frames are unmasked
                if (length == 126) {
                    length = in.readUnsignedShort();
                }
                byte[] payload = in.readNBytes(length);
                if (opcode == 0x8) {
                    assertThat(((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF)).isEqualTo(4000);
                    return;
                }
            }
        }
    }

    @Test
    void cloudEventsJsonClientsGetCloudEventsAndSendThem() throws Exception {
        try (RecordingSocket ce = RecordingSocket.connect(ws("/ws?access_token=alice"), "cloudevents.json")) {
            assertThat(ce.subProtocol()).isEqualTo("cloudevents.json");
            ce.send("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/browser\",\"type\":\"chat.send\","
                    + "\"data\":{\"text\":\"hi\"}}");
            assertThat(app.said.poll(30, TimeUnit.SECONDS)).isEqualTo("alice:hi");

            board.to(Audience.user("alice")).emit("notifications.drawer", Map.of("title", "New notification"));

            JsonNode e = MAPPER.readTree(ce.nextText());
            assertThat(e.path("specversion").asText()).as("no welcome first: %s", e).isEqualTo("1.0");
            assertThat(e.path("type").asText()).isEqualTo("notifications.drawer");
            assertThat(e.path("source").asText()).isEqualTo("/shop");
            assertThat(e.path("data").path("title").asText()).isEqualTo("New notification");

            ce.awaitPing(1);
            assertThat(ce.isClosed()).isFalse();
        }
    }
}
