package dev.switchboard.transport.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.Connection;
import dev.switchboard.EventListener;
import dev.switchboard.Identity;
import dev.switchboard.SendResult;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardOptions;
import dev.switchboard.spi.AuthenticationException;
import dev.switchboard.spi.Backplane;
import dev.switchboard.spi.BackplaneLink;
import dev.switchboard.spi.Outbound;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The transport with the real core: a {@link Switchboard} node behind real Jetty and real clients. */
class SwitchboardIntegrationTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final BlockingQueue<Connection> connected = new LinkedBlockingQueue<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private Switchboard board(Switchboard.Builder builder) {
        Switchboard board = builder.build();
        resources.add(board);
        board.onConnect(connected::add);
        board.onRequest("echo", (conn, data) -> data);
        return board;
    }

    private JettyTransport serve(Switchboard board) {
        JettyTransport t = JettyTransport.start(board, JettyTransportOptions.builder().host("127.0.0.1").port(0).build());
        resources.add(t);
        return t;
    }

    private RecordingClient connect(RecordingClient.Builder builder) {
        RecordingClient c = builder.connect();
        resources.add(c);
        return c;
    }

    private Connection nextConnection() throws InterruptedException {
        Connection c = connected.poll(RecordingClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(c).as("connection").isNotNull();
        return c;
    }

    private static void assertEchoes(RecordingClient client, int id) {
        client.send("{\"type\":\"request\",\"id\":" + id + ",\"event\":\"echo\",\"data\":{\"n\":" + id + "}}");
        JsonNode reply = client.assertFrame("reply");
        assertThat(reply.path("id").asInt()).isEqualTo(id);
        assertThat(reply.at("/data/n").asInt()).isEqualTo(id);
    }

    @Test
    void welcomeFrameAndRequestReply() throws Exception {
        Switchboard board = board(Switchboard.builder().options(SwitchboardOptions.builder().nodeId("n-7").build()));
        JettyTransport transport = serve(board);

        RecordingClient client = connect(RecordingClient.to(transport.uri()).subProtocols("switchboard.v1"));

        JsonNode welcome = client.assertFrame("welcome");
        assertThat(welcome.path("node").asText()).isEqualTo("n-7");
        assertThat(welcome.path("connectionId").asText()).isNotEmpty();
        assertThat(welcome.path("maxFrameBytes").asInt()).isEqualTo(board.options().maxFrameBytes());
        assertThat(nextConnection().id()).isEqualTo(welcome.path("connectionId").asText());
        assertEchoes(client, 7);
        assertThat(board.connectionCount()).isEqualTo(1);
    }

    @Test
    void aBurstOfEventsArrivesCompleteAndInOrder() throws Exception {
        // Frames queued while a write is in flight go to Jetty as one batch (one gathered write).
        Switchboard board = board(Switchboard.builder());
        JettyTransport transport = serve(board);
        RecordingClient client = connect(RecordingClient.to(transport.uri()));
        client.assertFrame("welcome");
        Connection conn = nextConnection();
        int n = 3_000;
        for (int i = 0; i < n; i++) {
            assertThat(conn.send("tick", i)).isEqualTo(dev.switchboard.SendResult.QUEUED);
        }
        for (int i = 0; i < n; i++) {
            JsonNode e = client.assertFrame("event");
            assertThat(e.path("data").asInt()).isEqualTo(i);
        }
        assertEchoes(client, 1);
    }

    @Test
    void authenticatorRefusalsAndIdentity() {
        Switchboard board = board(Switchboard.builder().authenticator(handshake -> {
            if ("alice-token".equals(handshake.bearerToken())) {
                return Identity.builder("alice").roles("admin").build();
            }
            throw AuthenticationException.unauthorized("no");
        }));
        JettyTransport transport = serve(board);

        assertThat(RecordingClient.to(transport.uri()).refusedStatus()).isEqualTo(401);
        connect(RecordingClient.to(transport.uri()).header("Authorization", "Bearer alice-token")).assertFrame("welcome");

        assertThat(board.connections()).singleElement()
                .satisfies(c -> assertThat(c.identity().userId()).isEqualTo("alice"));
    }

    @Test
    void oversizedFrameClosesWith1009() throws Exception {
        Switchboard board = board(Switchboard.builder().options(SwitchboardOptions.builder().maxFrameBytes(256).build()));
        CompletableFuture<Integer> disconnected = new CompletableFuture<>();
        board.onDisconnect((conn, code, reason) -> disconnected.complete(code));
        JettyTransport transport = serve(board);
        RecordingClient client = connect(RecordingClient.to(transport.uri()));
        client.assertFrame("welcome");

        client.send("{\"type\":\"emit\",\"event\":\"x\",\"data\":\"" + "y".repeat(300) + "\"}");

        client.assertClosed(1009);
        assertThat(disconnected.get(10, TimeUnit.SECONDS)).isEqualTo(1009);
    }

    @Test
    void healthReportsNodeConnectionsAndBackplane() throws Exception {
        Switchboard board = board(Switchboard.builder().options(SwitchboardOptions.builder().nodeId("n-h").build()));
        JettyTransport transport = serve(board);
        connect(RecordingClient.to(transport.uri())).assertFrame("welcome");

        HttpResponse<String> response = health(transport);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = MAPPER.readTree(response.body());
        assertThat(body.path("status").asText()).isEqualTo("UP");
        assertThat(body.path("node").asText()).isEqualTo("n-h");
        assertThat(body.path("connections").asInt()).isEqualTo(1);
        assertThat(body.at("/backplane/up").asBoolean()).isTrue();
        assertThat(body.at("/backplane/name").asText()).isNotEmpty();
        assertThat(body.at("/backplane/detail").isTextual()).isTrue();
        assertThat(body.at("/backplane/dropped").asLong()).isZero();
        assertThat(body.at("/cluster/nodes/0").asText()).isEqualTo("n-h");
        assertThat(body.at("/cluster/rejected").asLong()).isZero();
    }

    @Test
    void healthIs503WhenBackplaneIsDown() throws Exception {
        Switchboard board = board(Switchboard.builder().backplane(new DownBackplane()));
        JettyTransport transport = serve(board);

        HttpResponse<String> response = health(transport);

        assertThat(response.statusCode()).isEqualTo(503);
        JsonNode body = MAPPER.readTree(response.body());
        assertThat(body.path("status").asText()).isEqualTo("DOWN");
        assertThat(body.path("backplane").path("up").asBoolean()).isFalse();
        assertThat(body.path("backplane").path("name").asText()).isEqualTo("test");
        assertThat(body.path("backplane").path("detail").asText()).isEqualTo("unplugged");
        // The node's first cluster heartbeat found the backplane down: dropped and counted.
        assertThat(body.path("backplane").path("dropped").asLong()).isPositive();
    }

    @Test
    void transportCloseThenBoardCloseBothSafe() throws Exception {
        Switchboard board = board(Switchboard.builder());
        JettyTransport transport = serve(board);
        RecordingClient client = connect(RecordingClient.to(transport.uri()));
        client.assertFrame("welcome");
        CompletableFuture<Integer> disconnected = new CompletableFuture<>();
        board.onDisconnect((conn, code, reason) -> disconnected.complete(code));

        transport.close();
        board.close();

        client.assertClosed(1001);
        assertThat(disconnected.get(10, TimeUnit.SECONDS)).isEqualTo(1001);
    }

    @Test
    void boardCloseThenTransportCloseBothSafe() {
        Switchboard board = board(Switchboard.builder());
        JettyTransport transport = serve(board);
        RecordingClient client = connect(RecordingClient.to(transport.uri()));
        client.assertFrame("welcome");

        board.close();
        client.assertClosed(1012);
        transport.close();

        assertThat(board.connectionCount()).isZero();
    }

    /**
     * A client that reads one message and then never again, while the server floods it: the core's
     * bounded queue fills behind the one write Jetty cannot finish, the core refuses further frames and
     * closes the connection (1013, then an abort when the close frame cannot get through), the server
     * holds no backlog, and another client on the same server is unaffected.
     */
    @Test
    void slowConsumerIsCutOffWithoutHurtingOthers() throws Exception {
        long maxQueued = 256 * 1024;
        CompletableFuture<Connection> slowEvent = new CompletableFuture<>();
        Switchboard board = board(Switchboard.builder()
                .options(SwitchboardOptions.builder().maxQueuedBytes(maxQueued).heartbeat(Duration.ofSeconds(1)).build())
                .eventListener(new EventListener() {
                    @Override
                    public void slowConsumer(Connection connection) {
                        slowEvent.complete(connection);
                    }
                }));
        CompletableFuture<Integer> slowClosed = new CompletableFuture<>();
        JettyTransport transport = serve(board);

        RecordingClient stalled = connect(RecordingClient.to(transport.uri()).stalled());
        Connection slow = nextConnection();
        board.onDisconnect((conn, code, reason) -> {
            if (conn.id().equals(slow.id())) {
                slowClosed.complete(code);
            }
        });
        RecordingClient healthy = connect(RecordingClient.to(transport.uri()));
        healthy.assertFrame("welcome");
        stalled.assertFrame("welcome"); // the one message it asked for

        long heapBefore = usedHeapAfterGc();
        String payload = "z".repeat(16 * 1024);
        long offeredBytes = 0;
        SendResult result = SendResult.QUEUED;
        // Kernel socket buffers absorb a few MB before Jetty's write stalls; 512 MB is far beyond that.
        while (result == SendResult.QUEUED && offeredBytes < 512L * 1024 * 1024) {
            result = slow.send("flood", payload);
            offeredBytes += payload.length();
            // The backlog bound: at most one frame past it.
            assertThat(slow.queuedBytes()).isLessThan(maxQueued + payload.length() + 64);
        }
        assertThat(result).isIn(SendResult.DROPPED, SendResult.CLOSED);
        // Keep flooding past the cut-off: nothing more may be retained for the slow client.
        for (int i = 0; i < 4096; i++) {
            assertThat(slow.send("flood", payload)).isNotEqualTo(SendResult.QUEUED);
        }

        assertThat(slowEvent.get(10, TimeUnit.SECONDS).id()).isEqualTo(slow.id());
        assertThat(slowClosed.get(10, TimeUnit.SECONDS)).isEqualTo(1013);
        assertEchoes(healthy, 1);
        assertThat(board.connectionCount()).isEqualTo(1);
        assertThat(usedHeapAfterGc() - heapBefore).as("heap growth").isLessThan(64L * 1024 * 1024);

        // It reads again: what the kernel still buffers, then the end. The 1013 close frame was stuck
        // behind the unfinished write, so the core aborted the connection after a heartbeat period.
        stalled.request(Long.MAX_VALUE);
        assertThat(stalled.awaitClose().code()).isIn(1013, 1006);
    }

    private static long usedHeapAfterGc() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static HttpResponse<String> health(JettyTransport transport) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(transport.httpUri().resolve("/health")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A backplane that never connects. */
    private static final class DownBackplane implements Backplane {
        @Override
        public String name() {
            return "test";
        }

        @Override
        public void start(BackplaneLink link) {
            link.disconnected("unplugged");
        }

        @Override
        public void publish(List<Outbound> batch) {
            throw new IllegalStateException("unplugged");
        }

        @Override
        public void close() {
        }
    }
}
