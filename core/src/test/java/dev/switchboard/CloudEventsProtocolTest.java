package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.internal.DefaultSwitchboard;
import dev.switchboard.spi.EncodedFrame;
import dev.switchboard.spi.Handshake;
import dev.switchboard.spi.TransportSession;
import dev.switchboard.transport.InMemoryClient;
import dev.switchboard.transport.InMemoryTransport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cloudevents.json sub-protocol: events out as CloudEvents (encoded once), CloudEvents in to on(type). */
class CloudEventsProtocolTest {
    private static final Duration WAIT = Duration.ofSeconds(2);
    private final MutableClock clock = new MutableClock();
    private Switchboard board;
    private InMemoryTransport transport;

    @BeforeEach
    void setUp() {
        board = Switchboard.builder().clock(clock).cloudEventSource("https://shop.example/switchboard")
                .authenticator(h -> h.bearerToken() == null ? Identity.anonymous() : Identity.user(h.bearerToken()))
                .options(SwitchboardOptions.builder().heartbeat(Duration.ofHours(1)).build())
                .build();
        transport = InMemoryTransport.attach(board);
    }

    @AfterEach
    void tearDown() {
        board.close();
    }

    private InMemoryClient cloudEventsClient(String user) {
        return transport.connect(new Handshake("/ws", Map.of("access_token", List.of(user)), Map.of(),
                List.of("cloudevents.json"), null));
    }

    @Test
    void aCloudEventsClientGetsNoWelcomeAndEveryEventAsAStructuredCloudEvent() {
        InMemoryClient ce = cloudEventsClient("alice");
        assertThat(ce.subProtocol()).isEqualTo("cloudevents.json");
        board.connections().forEach(c -> c.join("orders:42"));

        board.to(Audience.topic("orders:42")).emit("order.status", Map.of("status", "paid"));
        JsonNode e = ce.nextFrame(WAIT);

        assertThat(e.path("specversion").asText()).isEqualTo("1.0");
        assertThat(e.path("type").asText()).isEqualTo("order.status");
        assertThat(e.path("source").asText()).isEqualTo("https://shop.example/switchboard");
        assertThat(e.path("id").asText()).hasSize(36);
        assertThat(e.path("time").asText()).isEqualTo(clock.instant().toString());
        assertThat(e.path("datacontenttype").asText()).isEqualTo("application/json");
        assertThat(e.path("data").path("status").asText()).isEqualTo("paid");
        assertThat(e.path("topic").asText()).isEqualTo("orders:42");
        assertThat(e.has("event")).as("nothing of protocol v1").isFalse();
        assertThat(board.connections()).extracting(Connection::subProtocol).containsExactly("cloudevents.json");
    }

    @Test
    void theEventsMetadataBecomesItsCloudEventsAttributes() {
        InMemoryClient ce = cloudEventsClient("alice");
        InMemoryClient v1 = transport.connect(new Handshake("/ws", Map.of("access_token", List.of("alice")), Map.of(),
                List.of(), null));
        assertThat(v1.nextFrame(WAIT).path("type").asText()).isEqualTo("welcome");
        Instant when = Instant.parse("2026-03-04T05:06:07.123Z");

        board.to(Audience.user("alice")).emit("notifications.drawer", Map.of("title", "Hi"),
                EventMetadata.id("n-1").withSource("/billing").withTime(when));

        JsonNode e = ce.nextFrame(WAIT);
        assertThat(e.path("id").asText()).isEqualTo("n-1");
        assertThat(e.path("source").asText()).isEqualTo("/billing");
        assertThat(e.path("time").asText()).isEqualTo("2026-03-04T05:06:07.123Z");
        JsonNode f = v1.nextFrame(WAIT);
        assertThat(f.path("type").asText()).isEqualTo("event");
        assertThat(f.path("id").asText()).isEqualTo("n-1");
        assertThat(f.path("source").asText()).isEqualTo("/billing");
        assertThat(f.path("time").asText()).isEqualTo("2026-03-04T05:06:07.123Z");
        assertThat(f.path("data").path("title").asText()).isEqualTo("Hi");
    }

    @Test
    void aMessageIsEncodedOnceForEveryCloudEventsConnection() throws Exception {
        // Sessions that keep the frame objects they are handed, to compare identities.
        CapturingSession a = new CapturingSession("cloudevents.json");
        CapturingSession b = new CapturingSession("cloudevents.json");
        CapturingSession c = new CapturingSession("switchboard.v1");
        CapturingSession d = new CapturingSession("switchboard.v1");
        for (CapturingSession s : List.of(a, b, c, d)) {
            s.handler = board.open(s, Identity.user("alice"));
        }
        c.frames.poll(2, TimeUnit.SECONDS); // welcome
        d.frames.poll(2, TimeUnit.SECONDS);

        board.to(Audience.user("alice")).emit("n", "x");

        EncodedFrame fa = a.frames.poll(2, TimeUnit.SECONDS);
        EncodedFrame fb = b.frames.poll(2, TimeUnit.SECONDS);
        EncodedFrame fc = c.frames.poll(2, TimeUnit.SECONDS);
        EncodedFrame fd = d.frames.poll(2, TimeUnit.SECONDS);
        assertThat(fa).as("one CloudEvents encoding, shared").isSameAs(fb);
        assertThat(fc).as("one v1 encoding, shared").isSameAs(fd);
        assertThat(fa.text()).contains("\"specversion\":\"1.0\"");
        assertThat(fc.text()).startsWith("{\"type\":\"event\"");
    }

    @Test
    void cloudEventsFromTheClientReachTheHandlerOfTheirType() throws Exception {
        BlockingQueue<Object[]> got = new LinkedBlockingQueue<>();
        board.on("chat.send", (conn, data) -> got.add(new Object[] {conn.identity().userId(), data}));
        InMemoryClient ce = cloudEventsClient("alice");

        ce.send("""
                {"specversion":"1.0","id":"1","source":"/browser","type":"chat.send","data":{"text":"hi"}}""");

        Object[] call = got.poll(2, TimeUnit.SECONDS);
        assertThat(call).isNotNull();
        assertThat(call[0]).isEqualTo("alice");
        assertThat(((JsonNode) call[1]).path("text").asText()).isEqualTo("hi");
    }

    @Test
    void badInputGetsAnErrorEventAndTheConnectionStaysOpen() {
        InMemoryClient ce = cloudEventsClient("alice");

        ce.send("{\"type\":\"emit\",\"event\":\"chat.send\"}");
        JsonNode error = ce.nextFrame(WAIT);
        assertThat(error.path("type").asText()).isEqualTo("dev.switchboard.error");
        assertThat(error.path("specversion").asText()).isEqualTo("1.0");
        assertThat(error.path("data").path("code").asText()).isEqualTo("bad_request");
        assertThat(error.path("data").path("message").asText()).contains("specversion");

        ce.send("not json");
        assertThat(ce.nextFrame(WAIT).path("data").path("code").asText()).isEqualTo("bad_request");

        ce.send("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/b\",\"type\":\"nobody.listens\"}");
        JsonNode unknown = ce.nextFrame(WAIT);
        assertThat(unknown.path("data").path("code").asText()).isEqualTo("unknown_event");
        assertThat(ce.closeCode()).isNotDone();
    }

    @Test
    void theServerCannotMakeRequestsOfACloudEventsClient() {
        cloudEventsClient("alice");
        Connection conn = board.connections().iterator().next();
        assertThatThrownBy(() -> conn.request("confirm", "?", Duration.ofSeconds(1)).join())
                .isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("cloudevents.json");
    }

    @Test
    void theHeartbeatIsAWebSocketPingAndAClientThatStopsAnsweringIsClosed() throws Exception {
        DefaultSwitchboard node = (DefaultSwitchboard) board;
        InMemoryClient answering = cloudEventsClient("alice");
        InMemoryClient silent = cloudEventsClient("bob");

        clock.advance(Duration.ofHours(1));
        node.heartbeatTick();
        answering.pong(); // as a browser does by itself
        clock.advance(Duration.ofHours(1));
        node.heartbeatTick();

        assertThat(answering.pings()).isEqualTo(2);
        assertThat(silent.pings()).isEqualTo(1);
        assertThat(answering.pollFrame()).as("no v1 ping frame").isNull();
        assertThat(silent.closeCode().get(2, TimeUnit.SECONDS)).isEqualTo(CloseCodes.HEARTBEAT_TIMEOUT);
        assertThat(answering.closeCode()).isNotDone();
    }

    /** A transport session that records the frame objects it is asked to write. */
    private static final class CapturingSession implements TransportSession {
        final BlockingQueue<EncodedFrame> frames = new LinkedBlockingQueue<>();
        private final String subProtocol;
        volatile dev.switchboard.spi.SessionHandler handler;

        CapturingSession(String subProtocol) {
            this.subProtocol = subProtocol;
        }

        @Override
        public Handshake handshake() {
            return Handshake.of("/ws");
        }

        @Override
        public String subProtocol() {
            return subProtocol;
        }

        @Override
        public void send(EncodedFrame frame, Consumer<Throwable> done) {
            frames.add(frame);
            done.accept(null);
        }

        @Override
        public void close(int code, String reason) {
            handler.onClosed(code, reason);
        }

        @Override
        public void abort() {
            handler.onClosed(1006, "");
        }
    }

    @Test
    void aCloudEventsTracingExtensionIsTheHandlersTraceAndGoesOutAsTheExtension() throws Exception {
        String tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        java.util.concurrent.CompletableFuture<String> seen = new java.util.concurrent.CompletableFuture<>();
        board.on("chat.send", (conn, data) -> {
            seen.complete(TraceContext.current().map(TraceContext::traceparent).orElse("none"));
            board.to(Audience.user("bob")).emit("chat.message", data);
        });
        InMemoryClient alice = cloudEventsClient("alice");
        InMemoryClient bob = cloudEventsClient("bob");

        alice.send("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/browser\",\"type\":\"chat.send\","
                + "\"traceparent\":\"" + tp + "\",\"data\":\"hi\"}");

        assertThat(seen.get(2, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(tp);
        com.fasterxml.jackson.databind.JsonNode out = bob.nextFrame(WAIT);
        assertThat(out.path("type").asText()).isEqualTo("chat.message");
        assertThat(out.path("traceparent").asText()).isEqualTo(tp);
    }
}
