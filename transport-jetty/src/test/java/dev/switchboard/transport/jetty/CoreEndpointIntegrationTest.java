package dev.switchboard.transport.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.spi.Authenticator;
import dev.switchboard.spi.EncodedFrame;
import dev.switchboard.spi.Handshake;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the embedded transport's endpoint on Jetty's WebSocket core API does itself, where the Jakarta
 * layer used to do it: reassembling fragmented messages, counting them against the size limit, checking
 * UTF-8, and building the handshake from the core upgrade request.
 */
class CoreEndpointIntegrationTest {
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private JettyTransport start(EchoAcceptor acceptor) {
        JettyTransport t = JettyTransport.start(acceptor, JettyTransportOptions.builder().host("127.0.0.1").port(0).build());
        resources.add(t);
        return t;
    }

    private RecordingClient connect(RecordingClient.Builder builder) {
        RecordingClient c = builder.connect();
        resources.add(c);
        return c;
    }

    @Test
    void fragmentedTextArrivesAsOneMessage() {
        EchoAcceptor acceptor = new EchoAcceptor(Authenticator.anonymous(), 300);
        JettyTransport transport = start(acceptor);
        RecordingClient client = connect(RecordingClient.to(transport.uri()));
        client.assertFrame("welcome");
        EchoAcceptor.Opened conn = acceptor.nextOpened();

        client.sendPart("{\"type\":\"emit\",", false);
        client.sendPart("\"event\":\"ünï\",", false);
        client.sendPart("\"data\":1}", true);
        client.send("next");

        assertThat(conn.next()).isEqualTo("text:{\"type\":\"emit\",\"event\":\"ünï\",\"data\":1}");
        assertThat(conn.next()).isEqualTo("text:next");
    }

    @Test
    void fragmentsPastTheLimitCloseWith1009() {
        EchoAcceptor acceptor = new EchoAcceptor(Authenticator.anonymous(), 300);
        JettyTransport transport = start(acceptor);
        RecordingClient client = connect(RecordingClient.to(transport.uri()));
        client.assertFrame("welcome");
        EchoAcceptor.Opened conn = acceptor.nextOpened();

        client.sendPart("x".repeat(200), false);
        client.sendPart("x".repeat(101), true); // 301 bytes in all, each fragment under the limit

        client.assertClosed(1009);
        assertThat(conn.awaitClosed()).isEqualTo(1009);
    }

    @Test
    void framesLargerThanTheInboundLimitAreStillWrittenWhole() {
        EchoAcceptor acceptor = new EchoAcceptor(Authenticator.anonymous(), 300);
        JettyTransport transport = start(acceptor);
        RecordingClient client = connect(RecordingClient.to(transport.uri()));
        client.assertFrame("welcome");
        String big = "{\"type\":\"event\",\"event\":\"big\",\"data\":\"" + "y".repeat(200_000) + "\"}";
        CompletableFuture<Throwable> done = new CompletableFuture<>();

        acceptor.nextOpened().session().send(EncodedFrame.ofText(big), done::complete);

        assertThat(client.assertFrame("event").path("data").asText()).hasSize(200_000);
        assertThat(done.join()).isNull();
    }

    @Test
    void textThatIsNotUtf8ClosesWith1007() throws IOException {
        EchoAcceptor acceptor = new EchoAcceptor();
        JettyTransport transport = start(acceptor);
        try (Socket socket = RawUpgrade.upgraded(transport.port(), "/ws")) {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            skipFrame(in); // welcome
            OutputStream out = socket.getOutputStream();
            // FIN + TEXT, masked, 2 bytes: 0xC3 0x28 is an invalid UTF-8 sequence (mask of zeros).
            out.write(new byte[] {(byte) 0x81, (byte) 0x82, 0, 0, 0, 0, (byte) 0xC3, 0x28});
            out.flush();
            int op = in.readUnsignedByte() & 0x0F;
            int length = in.readUnsignedByte() & 0x7F;
            assertThat(op).isEqualTo(0x8); // close
            assertThat(length).isGreaterThanOrEqualTo(2);
            assertThat(in.readUnsignedShort()).isEqualTo(1007);
        }
        assertThat(acceptor.nextOpened().awaitClosed()).isEqualTo(1007);
    }

    @Test
    void handshakeCarriesPathQueryHeadersAndPeerAddress() {
        EchoAcceptor acceptor = new EchoAcceptor();
        JettyTransport transport = start(acceptor);
        connect(RecordingClient.to(transport.uri().resolve("/ws?room=a&room=b&access_token=t%201"))
                .header("X-Trace", "abc")).assertFrame("welcome");

        Handshake h = acceptor.handshakes.get(0);
        assertThat(h.path()).isEqualTo("/ws");
        assertThat(h.query().get("room")).containsExactly("a", "b");
        assertThat(h.bearerToken()).isEqualTo("t 1");
        assertThat(h.header("x-trace")).isEqualTo("abc");
        assertThat(h.remoteAddress()).isNotNull();
        assertThat(h.remoteAddress().getAddress().isLoopbackAddress()).isTrue();
    }

    private static void skipFrame(DataInputStream in) throws IOException {
        in.readUnsignedByte();
        int length = in.readUnsignedByte() & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        }
        in.skipNBytes(length);
    }
}
