package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.backplane.InMemoryBackplane;
import dev.switchboard.spi.AuthenticationException;
import dev.switchboard.spi.Handshake;
import dev.switchboard.spi.SessionAcceptor;
import dev.switchboard.testkit.InMemoryClient;
import dev.switchboard.testkit.InMemoryTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Plain WebSocket endpoints on the in-memory transport: bare text in and out, ordinary connections. */
class PlainEndpointTest {
    private static final Duration WAIT = Duration.ofSeconds(2);
    private static final String PATH = "/chat/{name}";
    private final List<Switchboard> nodes = new ArrayList<>();
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    @AfterEach
    void tearDown() {
        nodes.forEach(Switchboard::close);
    }

    private Switchboard node(SwitchboardOptions options, InMemoryBackplane.Bus bus) {
        Switchboard.Builder b = Switchboard.builder().options(options)
                .authenticator(h -> Identity.user(h.bearerToken() == null ? "nobody" : h.bearerToken()));
        if (bus != null) {
            b.backplane(bus.backplane());
        }
        Switchboard node = b.build();
        nodes.add(node);
        node.onConnect(conn -> {
            conn.join("room");
            events.add("protocol-connect " + conn.id());
        });
        node.onDisconnect((conn, code, reason) -> events.add("protocol-disconnect " + conn.id()));
        return node;
    }

    /** The seed's chat, as an application would write it. */
    private PlainEndpoint.Builder chat(Switchboard node, TextRenderer renderer) {
        return PlainEndpoint.builder()
                .authenticator((handshake, path) -> {
                    events.add("auth " + path);
                    return Identity.anonymous();
                })
                .onOpen(conn -> {
                    conn.join("room");
                    events.add("open " + conn.attributes().get("name") + " age " + conn.handshake().queryParam("age"));
                    conn.send("chat.message", "Hi " + conn.attributes().get("name"));
                })
                .onText((conn, text) -> node.to(Audience.topic("room"))
                        .emit("chat.message", conn.attributes().get("name") + ": " + text))
                .onClose((conn, code, reason) -> events.add("close " + conn.attributes().get("name") + " " + code))
                .renderer(renderer);
    }

    private static InMemoryClient connect(SessionAcceptor endpoint, String path) {
        return InMemoryTransport.attach(endpoint).connect(new Handshake(path, Map.of("age", List.of("20")),
                Map.of(), List.of(), null));
    }

    private String event() throws InterruptedException {
        String e = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(e).as("next lifecycle event").isNotNull();
        return e;
    }

    @Test
    void plainAndProtocolClientsShareATopicEachInTheirOwnForm() throws Exception {
        Switchboard node = node(SwitchboardOptions.defaults(), null);
        node.plainEndpoint(PATH, chat(node, TextRenderer.data()).build());
        SessionAcceptor endpoint = node.plainEndpoints().get(PATH);
        assertThat(endpoint.subProtocols()).isEmpty();

        InMemoryClient alice = connect(endpoint, "/chat/Alice");
        assertThat(event()).isEqualTo("auth {name=Alice}");
        assertThat(event()).isEqualTo("open Alice age 20");
        // No welcome frame: the first thing a plain client reads is what the application sent.
        assertThat(alice.nextText(WAIT)).isEqualTo("Hi Alice");

        InMemoryClient json = InMemoryTransport.attach(node).connect(new Handshake("/ws",
                Map.of("access_token", List.of("bob")), Map.of(), List.of(), null));
        assertThat(json.nextFrame(WAIT).get("type").asText()).isEqualTo("welcome");
        assertThat(event()).startsWith("protocol-connect ");

        alice.send("hello there");
        assertThat(alice.nextText(WAIT)).isEqualTo("Alice: hello there");
        JsonNode frame = json.nextFrame(WAIT);
        assertThat(frame.get("event").asText()).isEqualTo("chat.message");
        assertThat(frame.get("data").asText()).isEqualTo("Alice: hello there");

        node.to(Audience.topic("room")).emit("stats", Map.of("online", 2));
        assertThat(alice.nextText(WAIT)).isEqualTo("{\"online\":2}");
        assertThat(json.nextFrame(WAIT).get("data").get("online").asInt()).isEqualTo(2);

        Connection plainConn = node.connections().stream().filter(c -> c.identity().isAnonymous()).findFirst()
                .orElseThrow();
        assertThat(plainConn.topics()).containsExactly("room");
        assertThat(plainConn.attributes()).containsEntry("name", "Alice");
        assertThatThrownBy(() -> plainConn.request("ask", 1, WAIT).get(1, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(UnsupportedOperationException.class);

        alice.close();
        assertThat(event()).isEqualTo("close Alice 1000");
        assertThat(events.poll(100, TimeUnit.MILLISECONDS)).as("the node's own disconnect handlers").isNull();
        assertThat(node.connectionCount()).isEqualTo(1);
    }

    @Test
    void aMessageIsRenderedOncePerEndpointAndTheSameTextGoesToEveryPlainConnection() throws Exception {
        Switchboard node = node(SwitchboardOptions.defaults(), null);
        AtomicInteger renders = new AtomicInteger();
        node.plainEndpoint(PATH, chat(node, (event, data) -> {
            renders.incrementAndGet();
            return "chat.message".equals(event) ? data.asText() : null;
        }).build());
        SessionAcceptor endpoint = node.plainEndpoints().get(PATH);
        List<InMemoryClient> clients = new ArrayList<>();
        for (String name : List.of("A", "B", "C")) {
            InMemoryClient c = connect(endpoint, "/chat/" + name);
            assertThat(c.nextText(WAIT)).isEqualTo("Hi " + name);
            clients.add(c);
        }
        renders.set(0);

        int queued = node.to(Audience.topic("room")).emit("chat.message", "one line");
        assertThat(queued).isEqualTo(3);
        for (InMemoryClient c : clients) {
            assertThat(c.nextText(WAIT)).isEqualTo("one line");
        }
        assertThat(renders).hasValue(1);

        // An event the renderer skips is not sent, and not counted as delivered.
        assertThat(node.to(Audience.topic("room")).emit("typing", "A")).isZero();
        Connection any = node.connections().iterator().next();
        assertThat(any.send("typing", "A")).isEqualTo(SendResult.SKIPPED);
        node.to(Audience.topic("room")).emit("chat.message", "two");
        for (InMemoryClient c : clients) {
            assertThat(c.nextText(WAIT)).isEqualTo("two");
        }
    }

    @Test
    void plainClientsOnAnotherNodeGetTheTextOfMessagesRoutedThere() throws Exception {
        InMemoryBackplane.Bus bus = InMemoryBackplane.bus();
        Switchboard a = node(SwitchboardOptions.builder().nodeId("a").build(), bus);
        Switchboard b = node(SwitchboardOptions.builder().nodeId("b").build(), bus);
        AtomicInteger rendersOnB = new AtomicInteger();
        a.plainEndpoint(PATH, chat(a, TextRenderer.data()).build());
        b.plainEndpoint(PATH, chat(b, (event, data) -> {
            rendersOnB.incrementAndGet();
            return data.asText();
        }).build());
        InMemoryClient alice = connect(a.plainEndpoints().get(PATH), "/chat/Alice");
        InMemoryClient bob = connect(b.plainEndpoints().get(PATH), "/chat/Bob");
        InMemoryClient carol = connect(b.plainEndpoints().get(PATH), "/chat/Carol");
        assertThat(alice.nextText(WAIT)).isEqualTo("Hi Alice");
        assertThat(bob.nextText(WAIT)).isEqualTo("Hi Bob");
        assertThat(carol.nextText(WAIT)).isEqualTo("Hi Carol");
        rendersOnB.set(0);

        alice.send("hi from a");
        assertThat(alice.nextText(WAIT)).isEqualTo("Alice: hi from a");
        assertThat(bob.nextText(WAIT)).isEqualTo("Alice: hi from a");
        assertThat(carol.nextText(WAIT)).isEqualTo("Alice: hi from a");
        assertThat(rendersOnB).hasValue(1);
        assertThat(b.connectionCount()).isEqualTo(2);
    }

    @Test
    void plainConnectionsGetTheLiveMessagesOfADurableTopic() throws Exception {
        Switchboard node = node(SwitchboardOptions.defaults(), null);
        node.durableTopic("news", Retention.lastMessages(10));
        node.plainEndpoint("/news", PlainEndpoint.builder().onOpen(conn -> {
            conn.join("news");
            conn.send("ready", "ready");
        }).build());
        InMemoryClient reader = connect(node.plainEndpoints().get("/news"), "/news");
        assertThat(reader.nextText(WAIT)).isEqualTo("ready");

        node.to(Audience.topic("news")).emit("headline", "first");
        node.to(Audience.topic("news")).emit("headline", Map.of("title", "second"));
        assertThat(reader.nextText(WAIT)).isEqualTo("first");
        assertThat(reader.nextText(WAIT)).isEqualTo("{\"title\":\"second\"}");
    }

    @Test
    void sizeRateAndBinaryLimitsCloseWithTheirCodes() throws Exception {
        // A clock that stands still: the rate limiter refills nothing, however long the loop below takes.
        Switchboard node = Switchboard.builder().clock(new MutableClock())
                .options(SwitchboardOptions.builder().maxFrameBytes(1024).rateLimit(5).build()).build();
        nodes.add(node);
        List<String> texts = new java.util.concurrent.CopyOnWriteArrayList<>();
        node.plainEndpoint(PATH, PlainEndpoint.builder().onText((conn, text) -> texts.add(text)).build());
        SessionAcceptor endpoint = node.plainEndpoints().get(PATH);

        InMemoryClient big = connect(endpoint, "/chat/big");
        big.send("x".repeat(1025));
        assertThat(big.closeCode().get(2, TimeUnit.SECONDS)).isEqualTo(CloseCodes.TOO_BIG);

        InMemoryClient flood = connect(endpoint, "/chat/flood");
        for (int i = 0; i < 30; i++) {
            flood.send("line " + i);
        }
        assertThat(flood.closeCode().get(2, TimeUnit.SECONDS)).isEqualTo(CloseCodes.POLICY_VIOLATION);
        assertThat(flood.closeReason()).startsWith("rate limit exceeded");
        // The burst allowance (twice the rate) is still handled, in order; nothing after the refusal.
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (texts.size() < 10 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        assertThat(texts).containsExactly("line 0", "line 1", "line 2", "line 3", "line 4", "line 5", "line 6",
                "line 7", "line 8", "line 9");

        InMemoryClient binary = connect(endpoint, "/chat/binary");
        binary.sendBinary(10);
        assertThat(binary.closeCode().get(2, TimeUnit.SECONDS)).isEqualTo(CloseCodes.UNSUPPORTED_DATA);
    }

    @Test
    void aSlowPlainConsumerIsClosedWith1013() throws Exception {
        Switchboard node = node(SwitchboardOptions.builder().maxFrameBytes(1024).maxQueuedBytes(8 * 1024).build(),
                null);
        node.plainEndpoint(PATH, PlainEndpoint.builder().onOpen(conn -> conn.join("room")).build());
        SessionAcceptor endpoint = node.plainEndpoints().get(PATH);
        InMemoryClient stuck = connect(endpoint, "/chat/stuck");
        InMemoryClient fine = connect(endpoint, "/chat/fine");
        awaitTopicSize(node, 2);
        stuck.pause();

        for (int i = 0; i < 20; i++) {
            node.to(Audience.topic("room")).emit("m", "y".repeat(900));
        }
        assertThat(stuck.closeCode().get(2, TimeUnit.SECONDS)).isEqualTo(CloseCodes.TRY_AGAIN_LATER);
        for (int i = 0; i < 20; i++) {
            assertThat(fine.nextText(WAIT)).hasSize(900);
        }
    }

    @Test
    void plainConnectionsArePingedAndClosedWhenSilent() throws Exception {
        MutableClock clock = new MutableClock();
        Switchboard node = Switchboard.builder().clock(clock)
                .options(SwitchboardOptions.builder().heartbeat(Duration.ofHours(1)).build()).build();
        nodes.add(node);
        node.plainEndpoint(PATH, PlainEndpoint.builder().build());
        SessionAcceptor endpoint = node.plainEndpoints().get(PATH);
        InMemoryClient silent = connect(endpoint, "/chat/silent");
        InMemoryClient alive = connect(endpoint, "/chat/alive");
        InMemoryClient noPing = connect(endpoint, "/chat/noping");
        noPing.refusePings();
        dev.switchboard.internal.DefaultSwitchboard internal = (dev.switchboard.internal.DefaultSwitchboard) node;

        clock.advance(Duration.ofHours(1));
        internal.heartbeatTick();
        assertThat(silent.pings()).isEqualTo(1);
        assertThat(alive.pings()).isEqualTo(1);
        assertThat(silent.pendingFrames()).as("no protocol ping frame for plain clients").isZero();
        alive.pong();

        clock.advance(Duration.ofHours(1));
        internal.heartbeatTick();
        assertThat(silent.closeCode().get(2, TimeUnit.SECONDS)).isEqualTo(CloseCodes.HEARTBEAT_TIMEOUT);
        assertThat(alive.closeCode()).isNotDone();
        assertThat(noPing.closeCode()).as("a transport that cannot ping never closes for silence").isNotDone();
        assertThat(alive.pings()).isEqualTo(2);
    }

    @Test
    void theNodesAuthenticatorGuardsAPlainEndpointUnlessItHasItsOwn() {
        Switchboard node = Switchboard.builder().authenticator(h -> {
            throw AuthenticationException.unauthorized("token required");
        }).build();
        nodes.add(node);
        node.plainEndpoint("/guarded", PlainEndpoint.builder().build());
        node.plainEndpoint("/open/{room}", PlainEndpoint.builder()
                .authenticator((h, path) -> Identity.user("guest-" + path.get("room"))).build());
        Map<String, SessionAcceptor> endpoints = node.plainEndpoints();
        assertThat(endpoints.keySet()).containsExactly("/guarded", "/open/{room}");

        assertThatThrownBy(() -> endpoints.get("/guarded").authenticate(Handshake.of("/guarded")))
                .isInstanceOf(AuthenticationException.class);
        assertThat(endpoints.get("/open/{room}").authenticate(Handshake.of("/open/lobby")).userId())
                .isEqualTo("guest-lobby");
    }

    @Test
    void endpointsAreRegisteredOnceAndBeforeATransportStarts() {
        Switchboard node = node(SwitchboardOptions.defaults(), null);
        node.plainEndpoint("/a", PlainEndpoint.builder().build());
        assertThatThrownBy(() -> node.plainEndpoint("/a", PlainEndpoint.builder().build()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already registered");
        assertThatThrownBy(() -> node.plainEndpoint("a", PlainEndpoint.builder().build()))
                .isInstanceOf(IllegalArgumentException.class);
        node.plainEndpoints();
        assertThatThrownBy(() -> node.plainEndpoint("/b", PlainEndpoint.builder().build()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("before starting the transport");
    }

    private static void awaitTopicSize(Switchboard node, int size) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (node.connections().stream().filter(c -> c.topics().contains("room")).count() < size) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("connections did not join the room");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }
}
