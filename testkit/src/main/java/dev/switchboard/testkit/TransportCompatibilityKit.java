package dev.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Audience;
import dev.switchboard.Identity;
import dev.switchboard.Switchboard;
import dev.switchboard.spi.AuthenticationException;
import dev.switchboard.spi.Authenticator;
import dev.switchboard.spi.Handshake;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link dev.switchboard.spi.Transport} proves, as one abstract JUnit class its tests extend,
 * with real WebSocket clients ({@link RecordingSocket}) over the network: the upgrade (sub-protocol, headers and
 * query reaching the authenticator, refusals as HTTP statuses), text frames both ways whole however fragmented,
 * order, the frame size limit (1009), binary frames refused, and close codes and reasons in both directions with
 * the disconnect handler run exactly once.
 *
 * <p>The implementation serves a node made from the kit's {@link Setup}: its authenticator, its handlers and
 * its frame limit, at a path of its choice.
 *
 * <pre>{@code
 * class JettyTransportCompatibilityTest extends TransportCompatibilityKit {
 *     protected Served serve(Setup setup) {
 *         Switchboard board = Switchboard.builder().authenticator(setup.authenticator())
 *                 .options(SwitchboardOptions.builder().maxFrameBytes(setup.maxFrameBytes()).build()).build();
 *         setup.configure(board);
 *         JettyTransport t = JettyTransport.start(board, JettyTransportOptions.builder().port(0).build());
 *         return Served.of(t.uri(), board, () -> { t.close(); board.close(); });
 *     }
 * }
 * }</pre>
 */
public abstract class TransportCompatibilityKit {
    /** The frame limit the node under test is built with. */
    public static final int MAX_FRAME_BYTES = 32 * 1024;
    private static final String V1 = "switchboard.v1";

    // One transport serves all of a kit class's tests (a Spring Boot application takes seconds to start);
    // each test has users of its own, so what earlier tests' connections do is told apart by name.
    private static final BlockingQueue<Handshake> handshakes = new LinkedBlockingQueue<>();
    private static final BlockingQueue<String> disconnects = new LinkedBlockingQueue<>();
    private static final AtomicInteger users = new AtomicInteger();
    private static Served served;
    private final List<AutoCloseable> resources = new ArrayList<>();

    /** A running transport with the node behind it. */
    public interface Served extends AutoCloseable {
        /** @return the WebSocket endpoint's URI ({@code ws://host:port/path}) */
        URI endpoint();

        /** @return the node the transport serves */
        Switchboard board();

        /** Stops the transport and the node. */
        @Override
        void close() throws Exception;

        /**
         * @param endpoint the endpoint's URI
         * @param board the node
         * @param close what stops both
         * @return them as one
         */
        static Served of(URI endpoint, Switchboard board, AutoCloseable close) {
            return new Served() {
                @Override
                public URI endpoint() {
                    return endpoint;
                }

                @Override
                public Switchboard board() {
                    return board;
                }

                @Override
                public void close() throws Exception {
                    close.close();
                }
            };
        }
    }

    /** What the node under test is made of; the implementation builds it however its users would. */
    public final class Setup {
        private Setup() {
        }

        /** @return the authenticator: bearer token {@code deny} → 401, {@code banned} → 403, else that user */
        public Authenticator authenticator() {
            return handshake -> {
                handshakes.add(handshake);
                String token = handshake.bearerToken();
                if (token == null || token.equals("deny")) {
                    throw AuthenticationException.unauthorized("token required");
                }
                if (token.equals("banned")) {
                    throw AuthenticationException.forbidden("banned");
                }
                return Identity.user(token);
            };
        }

        /** @return the frame limit to build the node with ({@link #MAX_FRAME_BYTES}) */
        public int maxFrameBytes() {
            return MAX_FRAME_BYTES;
        }

        /** Registers the kit's handlers on the node. */
        public void configure(Switchboard board) {
            board.onRequest("echo", (conn, data) -> data);
            board.on("echo", (conn, data) -> conn.send("echoed", data));
            board.on("close-me", (conn, data) -> conn.close(data.path("code").asInt(), data.path("reason").asText()));
            board.onDisconnect((conn, code, reason) -> disconnects.add(conn.identity().userId() + " " + code));
        }
    }

    /**
     * Starts the transport under test serving a node made from {@code setup}.
     *
     * @param setup the node's authenticator, handlers and frame limit
     * @return the running transport; the kit serves all its tests with it and closes it after the last
     * @throws Exception when it cannot start, which fails the test
     */
    protected abstract Served serve(Setup setup) throws Exception;

    /** @return the transport of this kit class, started on first use and stopped after its last test */
    protected final Served served() {
        if (served == null) {
            try {
                served = serve(new Setup());
            } catch (Exception e) {
                throw new IllegalStateException("the transport did not start", e);
            }
        }
        return served;
    }

    @AfterEach
    void closeSockets() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
        resources.clear();
        if (served != null) {
            Await.until(RecordingSocket.WAIT, () -> served.board().connectionCount() == 0, "the test's connections closed");
        }
        handshakes.clear();
    }

    @AfterAll
    static void stopTransport() throws Exception {
        if (served != null) {
            served.close();
            served = null;
        }
        disconnects.clear();
    }

    /** @return a user name no other test of the kit uses */
    protected static String user(String name) {
        return name + "-" + users.incrementAndGet();
    }

    /** @return an open socket of user {@code token}, its welcome already read */
    protected final RecordingSocket connect(String token) {
        RecordingSocket s = RecordingSocket.connect(served().endpoint(), Map.of("Authorization", "Bearer " + token), V1);
        resources.add(s);
        JsonNode welcome = s.nextFrame();
        assertThat(welcome.path("type").asText()).as("first frame %s", welcome).isEqualTo("welcome");
        return s;
    }

    /** @return the close code the disconnect handler saw for the user's connection */
    private static int nextDisconnectOf(String user) throws InterruptedException {
        long deadline = System.nanoTime() + RecordingSocket.WAIT.toNanos();
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            String d = disconnects.poll(left, TimeUnit.NANOSECONDS);
            if (d != null && d.startsWith(user + " ")) {
                return Integer.parseInt(d.substring(user.length() + 1));
            }
        }
        throw new AssertionError("no disconnect of " + user + " within " + RecordingSocket.WAIT);
    }

    private static void assertNoMoreDisconnectsOf(String user) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            String d = disconnects.poll(left, TimeUnit.NANOSECONDS);
            assertThat(d == null || !d.startsWith(user + " ")).as("a second disconnect of %s", user).isTrue();
        }
    }

    // ---- the upgrade ----

    @Test
    void theUpgradeNegotiatesTheProtocolAndTheNodeWelcomes() {
        RecordingSocket s = RecordingSocket.connect(served().endpoint(), Map.of("Authorization", "Bearer " + user("alice")),
                "not.a.protocol", V1);
        resources.add(s);
        assertThat(s.subProtocol()).isEqualTo(V1);
        JsonNode welcome = s.nextFrame();
        assertThat(welcome.path("type").asText()).isEqualTo("welcome");
        assertThat(welcome.path("node").asText()).isEqualTo(served().board().nodeId());
        assertThat(welcome.path("maxFrameBytes").asInt()).isEqualTo(MAX_FRAME_BYTES);
    }

    @Test
    void theAuthenticatorSeesThePathQueryAndHeadersOfTheUpgrade() throws Exception {
        URI endpoint = served().endpoint();
        URI withQuery = URI.create(endpoint + "?room=blue&n=1");
        String alice = user("alice");
        RecordingSocket s = RecordingSocket.connect(withQuery,
                Map.of("Authorization", "Bearer " + alice, "X-Kit-Header", "kit value"), V1);
        resources.add(s);
        s.nextFrame();
        Handshake h = handshakes.poll(RecordingSocket.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(h).isNotNull();
        assertThat(h.path()).isEqualTo(endpoint.getPath());
        assertThat(h.queryParam("room")).isEqualTo("blue");
        assertThat(h.header("x-kit-header")).as("headers are case-insensitive").isEqualTo("kit value");
        assertThat(h.bearerToken()).isEqualTo(alice);
        assertThat(h.subProtocols()).contains(V1);
    }

    @Test
    void aRefusedUpgradeIsAnHttpStatusNotAnOpenSocket() {
        assertThatThrownBy(() -> RecordingSocket.connect(served().endpoint(), Map.of("Authorization", "Bearer deny"), V1))
                .satisfies(e -> assertThat(RecordingSocket.handshakeStatus(e)).isEqualTo(401));
        assertThatThrownBy(() -> RecordingSocket.connect(served().endpoint(), Map.of("Authorization", "Bearer banned"), V1))
                .satisfies(e -> assertThat(RecordingSocket.handshakeStatus(e)).isEqualTo(403));
        assertThat(served().board().connectionCount()).isZero();
    }

    // ---- frames ----

    @Test
    void requestsAreAnsweredAndTheNodeReachesTheClient() {
        String name = user("alice");
        RecordingSocket alice = connect(name);
        alice.send("{\"type\":\"request\",\"id\":1,\"event\":\"echo\",\"data\":{\"x\":1}}");
        JsonNode reply = alice.nextFrame();
        assertThat(reply.path("type").asText()).isEqualTo("reply");
        assertThat(reply.path("data").path("x").asInt()).isEqualTo(1);

        served().board().to(Audience.user(name)).emit("note", "from the node");
        JsonNode event = alice.nextFrame();
        assertThat(event.path("event").asText()).isEqualTo("note");
        assertThat(event.path("data").asText()).isEqualTo("from the node");
    }

    @Test
    void framesUpToTheLimitArriveWholeHoweverFragmented() {
        RecordingSocket alice = connect(user("alice"));
        String envelope = "{\"type\":\"request\",\"id\":2,\"event\":\"echo\",\"data\":\"\"}";
        String big = "é".repeat((MAX_FRAME_BYTES - envelope.length() - 16) / 2); // 2 bytes each in UTF-8
        alice.sendFragmented("{\"type\":\"request\",\"id\":2,\"event\":\"echo\",\"data\":\"" + big + "\"}", 7);
        JsonNode reply = alice.nextFrame();
        assertThat(reply.path("error").isMissingNode()).as("reply %s", reply.path("error")).isTrue();
        assertThat(reply.path("data").asText()).isEqualTo(big);
    }

    @Test
    void framesKeepTheirOrderBothWays() {
        RecordingSocket alice = connect(user("alice"));
        // 150: within the node's default rate limit's burst (twice 100 frames per second)
        for (int i = 0; i < 150; i++) {
            alice.send("{\"type\":\"emit\",\"event\":\"echo\",\"data\":" + i + "}");
        }
        for (int i = 0; i < 150; i++) {
            JsonNode f = alice.nextFrame();
            assertThat(f.path("event").asText()).isEqualTo("echoed");
            assertThat(f.path("data").asInt()).isEqualTo(i);
        }
    }

    @Test
    void aFrameOverTheLimitClosesWith1009() throws Exception {
        String name = user("alice");
        RecordingSocket alice = connect(name);
        alice.send("{\"type\":\"emit\",\"event\":\"echo\",\"data\":\"" + "x".repeat(MAX_FRAME_BYTES) + "\"}");
        assertThat(alice.awaitClose().code()).isEqualTo(1009);
        nextDisconnectOf(name);
    }

    @Test
    void binaryFramesAreRefusedWithAnErrorAndTheConnectionStays() {
        RecordingSocket alice = connect(user("alice"));
        alice.sendBinary(new byte[] {1, 2, 3});
        JsonNode error = alice.nextFrame();
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.path("error").path("code").asText()).isEqualTo("bad_request");
        alice.send("{\"type\":\"request\",\"id\":3,\"event\":\"echo\",\"data\":true}");
        assertThat(alice.nextFrame().path("data").asBoolean()).isTrue();
    }

    // ---- closing ----

    @Test
    void theNodesCloseCodeAndReasonReachTheClientAndDisconnectRunsOnce() throws Exception {
        String name = user("alice");
        RecordingSocket alice = connect(name);
        alice.send("{\"type\":\"emit\",\"event\":\"close-me\",\"data\":{\"code\":4321,\"reason\":\"kit says bye\"}}");
        RecordingSocket.Close close = alice.awaitClose();
        assertThat(close.code()).isEqualTo(4321);
        assertThat(close.reason()).isEqualTo("kit says bye");
        assertThat(nextDisconnectOf(name)).isEqualTo(4321);
        assertNoMoreDisconnectsOf(name);
    }

    @Test
    void theClientsCloseReachesTheNodeAndDisconnectRunsOnce() throws Exception {
        String name = user("alice");
        RecordingSocket alice = connect(name);
        connect(user("bob"));
        assertThat(served().board().connectionCount()).isEqualTo(2);
        alice.sendClose(1000, "done");
        assertThat(alice.awaitClose().code()).isEqualTo(1000);
        assertThat(nextDisconnectOf(name)).isEqualTo(1000);
        assertNoMoreDisconnectsOf(name);
        Await.until(RecordingSocket.WAIT, () -> served().board().connectionCount() == 1, "one connection left");
    }
}
