package dev.switchboard.transport.jetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.Audience;
import dev.switchboard.CloseCodes;
import dev.switchboard.Identity;
import dev.switchboard.PlainEndpoint;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardOptions;
import dev.switchboard.spi.AuthenticationException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Plain WebSocket endpoints served by real Jetty to real JDK WebSocket clients, beside the protocol endpoint. */
class PlainEndpointIntegrationTest {
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

    private RecordingClient connect(URI uri) {
        RecordingClient c = RecordingClient.connect(uri);
        resources.add(c);
        return c;
    }

    private static Switchboard echoRoom(SwitchboardOptions options) {
        Switchboard board = Switchboard.builder().options(options).build();
        board.onConnect(conn -> conn.join("room"));
        board.plainEndpoint("/echo/{name}", PlainEndpoint.builder()
                .authenticator((handshake, path) -> {
                    if (path.get("name").equals("mallory")) {
                        throw AuthenticationException.forbidden("not you");
                    }
                    return Identity.anonymous();
                })
                .onOpen(conn -> {
                    conn.join("room");
                    conn.send("greeting", "hello " + conn.attributes().get("name") + ", age "
                            + conn.handshake().queryParam("age"));
                })
                .onText((conn, text) -> board.to(Audience.topic("room"))
                        .emit("line", conn.attributes().get("name") + ": " + text))
                .build());
        return board;
    }

    @Test
    void plainClientsTalkBareTextWithEachOtherAndWithProtocolClients() {
        Switchboard board = echoRoom(SwitchboardOptions.defaults());
        JettyTransport t = serve(board);

        RecordingClient alice = connect(URI.create(t.uri("/echo/Alice") + "?age=20"));
        assertThat(alice.subProtocol()).isEmpty();
        assertThat(alice.nextText()).isEqualTo("hello Alice, age 20");
        RecordingClient protocol = connect(t.uri());
        protocol.assertFrame("welcome");
        // A client offering the protocol's sub-protocol to a plain endpoint is not answered with it.
        RecordingClient bob = RecordingClient.to(t.uri("/echo/Bob B")).subProtocols("switchboard.v1").connect();
        resources.add(bob);
        assertThat(bob.subProtocol()).isEmpty();
        assertThat(bob.nextText()).isEqualTo("hello Bob B, age null");

        alice.send("hi all ✓");
        assertThat(alice.nextText()).isEqualTo("Alice: hi all ✓");
        assertThat(bob.nextText()).isEqualTo("Alice: hi all ✓");
        assertThat(protocol.assertFrame("event").get("data").asText()).isEqualTo("Alice: hi all ✓");
        assertThat(board.connectionCount()).isEqualTo(3);
    }

    @Test
    void aRefusedPlainHandshakeGetsItsStatusBeforeTheUpgrade() {
        JettyTransport t = serve(echoRoom(SwitchboardOptions.defaults()));

        assertThat(RecordingClient.to(t.uri("/echo/mallory")).refusedStatus()).isEqualTo(403);
    }

    @Test
    void oversizedAndBinaryFramesCloseWithTheirCodes() {
        JettyTransport t = serve(echoRoom(SwitchboardOptions.builder().maxFrameBytes(1024).build()));

        RecordingClient big = connect(t.uri("/echo/big"));
        big.nextText();
        big.send("x".repeat(2000));
        big.assertClosed(CloseCodes.TOO_BIG);

        RecordingClient binary = connect(t.uri("/echo/bin"));
        binary.nextText();
        binary.sendBinary(new byte[] {1, 2, 3});
        binary.assertClosed(CloseCodes.UNSUPPORTED_DATA);
    }

    @Test
    void websocketPingsKeepAQuietPlainClientConnected() {
        // Half a second: a pong has one period to arrive, even on a loaded machine.
        JettyTransport t = serve(echoRoom(SwitchboardOptions.builder().heartbeat(Duration.ofMillis(500)).build()));
        RecordingClient quiet = connect(t.uri("/echo/quiet"));
        assertThat(quiet.nextText()).startsWith("hello quiet");

        // Four pings span more than two heartbeat periods: only the pongs kept the client alive.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (quiet.pings() < 4 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(10_000_000);
        }
        assertThat(quiet.pings()).isGreaterThanOrEqualTo(4);
        quiet.send("still here");
        assertThat(quiet.nextText()).isEqualTo("quiet: still here");
    }

    @Test
    void aPlainEndpointMayNotTakeTheProtocolPath() {
        Switchboard board = Switchboard.builder().build();
        resources.add(board);
        board.plainEndpoint("/ws", PlainEndpoint.builder().build());

        assertThatThrownBy(() -> JettyTransport.start(board, JettyTransportOptions.builder().port(0).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/ws");
    }
}
