package dev.switchboard.transport.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Connection;
import dev.switchboard.EventListener;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.Switchboard;
import dev.switchboard.crud.InMemoryRepository;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Attacks from issue 12 against a real node behind real Jetty, each with the outcome the docs promise. */
class HardeningIntegrationTest {
    /** How long a slow sender may take to outpace the rate limit of 100 frames/s. */
    private static final Duration FLOOD_DEADLINE = Duration.ofSeconds(60);
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

    @Test
    void aBurstPastTheRateLimitGetsEveryEarlierReplyThenRateLimitedThen1008() throws Exception {
        // The handlers finish only once the server has seen the flood, so replies are in flight when it trips.
        CountDownLatch flooded = new CountDownLatch(1);
        BlockingQueue<Integer> closedOnServer = new LinkedBlockingQueue<>();
        Switchboard board = Switchboard.builder().eventListener(new EventListener() {
            @Override
            public void badFrame(Connection connection, String reason) {
                if (reason.contains("rate")) {
                    flooded.countDown();
                }
            }

            @Override
            public void connectionClosed(Connection connection, int code) {
                closedOnServer.add(code);
            }
        }).build();
        board.onRequest("echo", (conn, data) -> {
            assertThat(flooded.await(FLOOD_DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            return data;
        });
        JettyTransport transport = serve(board);
        RecordingClient client = RecordingClient.connect(transport.uri());
        resources.add(client);
        client.assertFrame("welcome");

        // 100 frames/s with a burst of 200: the limit trips once the client has outpaced 100/s long enough, after
        // 201 frames at once or later from a slow sender on a loaded machine. So flood until the server says it
        // tripped, not a fixed count. Stopping there (rather than when a send fails) leaves no flood in flight
        // when the server closes, so the close handshake completes instead of a reset losing the close frame.
        long deadline = System.nanoTime() + FLOOD_DEADLINE.toNanos();
        for (int sent = 0; flooded.getCount() > 0; sent++) {
            assertThat(System.nanoTime() - deadline).as("the limit tripped within %s (%d frames sent)", FLOOD_DEADLINE, sent)
                    .isNegative();
            try {
                client.send("{\"type\":\"request\",\"id\":" + sent + ",\"event\":\"echo\",\"data\":" + sent + "}");
            } catch (AssertionError closedMeanwhile) {
                break; // the server can only have closed because the limit tripped: checked below
            }
        }
        Set<Integer> replied = new HashSet<>();
        JsonNode error = null;
        while (true) {
            RecordingClient.Event e = client.next();
            if (e instanceof RecordingClient.Closed c) {
                assertThat(c.code()).as("close code, reason %s", c.reason()).isEqualTo(1008);
                break;
            }
            if (e instanceof RecordingClient.Failed && error != null) {
                break; // the socket ended without the close frame after the refusal: the server's code is checked below
            }
            assertThat(e).as("event").isInstanceOf(RecordingClient.Text.class);
            JsonNode frame = client.parse(((RecordingClient.Text) e).text());
            if (frame.path("type").asText().equals("reply")) {
                assertThat(error).as("no reply after the rate_limited error").isNull();
                replied.add(frame.path("id").asInt());
            } else {
                assertThat(frame.path("type").asText()).isEqualTo("error");
                assertThat(frame.at("/error/code").asText()).isEqualTo("rate_limited");
                error = frame;
            }
        }
        assertThat(error).as("rate_limited error").isNotNull();
        assertThat(closedOnServer.poll(RecordingClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .as("close code the server sent").isEqualTo(1008);
        assertThat(replied).hasSizeGreaterThanOrEqualTo(200);
        // Every request the server accepted before it refused the flood was answered: ids 0..n-1 without a hole.
        for (int i = 0; i < replied.size(); i++) {
            assertThat(replied).contains(i);
        }
    }

    @Test
    void errorsNeverEchoALargeClientValue() {
        Switchboard board = Switchboard.builder().build();
        JettyTransport transport = serve(board);
        RecordingClient client = RecordingClient.connect(transport.uri());
        resources.add(client);
        client.assertFrame("welcome");
        String name = "e".repeat(60_000);

        client.send("{\"type\":\"emit\",\"event\":\"" + name + "\"}");
        JsonNode error = client.assertFrame("error");
        client.send("{\"type\":\"request\",\"id\":1,\"event\":\"" + name + "\"}");
        JsonNode reply = client.assertFrame("reply");
        client.send("{\"type\":\"subscribe\",\"id\":2,\"topic\":\"" + name + "\"}");
        JsonNode denied = client.assertFrame("reply");
        client.send("{\"type\":\"" + name + "\"}");
        JsonNode unknownType = client.assertFrame("error");

        assertThat(error.at("/error/code").asText()).isEqualTo("unknown_event");
        assertThat(reply.at("/error/code").asText()).isEqualTo("unknown_event");
        assertThat(denied.at("/error/code").asText()).isEqualTo("forbidden");
        assertThat(unknownType.at("/error/code").asText()).isEqualTo("bad_request");
        for (JsonNode frame : List.of(error, reply, denied, unknownType)) {
            assertThat(frame.toString().length()).as("frame %s", frame.toString().substring(0, 120)).isLessThan(200);
            assertThat(frame.at("/error/message").asText()).contains("eeee\u2026");
        }
    }

    @Test
    void aReplyTooLargeForTheOutboundBoundIsTooLargeAndTheReaderStaysConnected() {
        Switchboard board = Switchboard.builder().build();
        InMemoryRepository items = InMemoryRepository.create();
        for (int i = 0; i < 17; i++) {
            items.create(JsonNodeFactory.instance.objectNode().put("blob", "b".repeat(62_000)));
        }
        board.crud("items", items);
        board.onRequest("echo", (conn, data) -> data);
        JettyTransport transport = serve(board);
        RecordingClient client = RecordingClient.connect(transport.uri());
        resources.add(client);
        client.assertFrame("welcome");

        // 17 items of 62 KB: more than the connection's 1 MiB bound, however fast the client reads.
        client.send("{\"type\":\"request\",\"id\":1,\"event\":\"LIST\",\"data\":{\"collection\":\"items\",\"size\":17}}");
        JsonNode refused = client.assertFrame("reply");
        assertThat(refused.at("/error/code").asText()).isEqualTo("too_large");
        assertThat(refused.at("/error/message").asText()).contains("1048576");

        client.send("{\"type\":\"request\",\"id\":2,\"event\":\"LIST\",\"data\":{\"collection\":\"items\",\"size\":16}}");
        JsonNode page = client.assertFrame("reply");
        assertThat(page.at("/data/items").size()).isEqualTo(16);
        client.send("{\"type\":\"request\",\"id\":3,\"event\":\"echo\",\"data\":3}");
        assertThat(client.assertFrame("reply").path("data").asInt()).isEqualTo(3);
        assertThat(board.connectionCount()).isEqualTo(1);
    }

    @Test
    void onlyAllowedOriginsMayUpgrade() {
        Switchboard board = Switchboard.builder().build();
        resources.add(board);
        JettyTransport transport = JettyTransport.start(board, JettyTransportOptions.builder().host("127.0.0.1").port(0)
                .allowedOrigins("https://app.example.com", "https://*.example.org", "http://localhost:*").build());
        resources.add(transport);

        for (String allowed : List.of("https://app.example.com", "HTTPS://APP.example.com", "https://a.b.example.org",
                "http://localhost:8080")) {
            RecordingClient c = RecordingClient.to(transport.uri()).header("Origin", allowed).connect();
            resources.add(c);
            c.assertFrame("welcome");
        }
        RecordingClient noOrigin = RecordingClient.connect(transport.uri()); // not a browser
        resources.add(noOrigin);
        noOrigin.assertFrame("welcome");
        for (String refused : List.of("https://evil.example", "https://app.example.com.evil.example", "null",
                "https://example.org", "http://localhost", "https://app.example.com:8443", "http://app.example.com")) {
            assertThat(RecordingClient.to(transport.uri()).header("Origin", refused).refusedStatus()).as(refused)
                    .isEqualTo(403);
        }
    }

    @Test
    void withoutAllowedOriginsOnlyTheSameOriginMayUpgrade() {
        Switchboard board = Switchboard.builder().build();
        resources.add(board);
        JettyTransport transport = JettyTransport.start(board, JettyTransportOptions.builder().host("127.0.0.1").port(0)
                .build());
        resources.add(transport);
        String own = "http://127.0.0.1:" + transport.port();

        RecordingClient same = RecordingClient.to(transport.uri()).header("Origin", own).connect();
        resources.add(same);
        same.assertFrame("welcome");
        RecordingClient noOrigin = RecordingClient.connect(transport.uri()); // not a browser
        resources.add(noOrigin);
        noOrigin.assertFrame("welcome");
        for (String refused : List.of("http://evil.example", "http://localhost:" + transport.port(),
                "http://127.0.0.1:" + (transport.port() == 1 ? 2 : transport.port() - 1), "https://127.0.0.1", "null")) {
            assertThat(RecordingClient.to(transport.uri()).header("Origin", refused).refusedStatus()).as(refused)
                    .isEqualTo(403);
        }
    }

    @Test
    void aStarAllowsEveryOrigin() {
        Switchboard board = Switchboard.builder().build();
        resources.add(board);
        JettyTransport transport = JettyTransport.start(board, JettyTransportOptions.builder().host("127.0.0.1").port(0)
                .allowedOrigins("*").build());
        resources.add(transport);
        RecordingClient c = RecordingClient.to(transport.uri()).header("Origin", "https://elsewhere.example").connect();
        resources.add(c);
        c.assertFrame("welcome");
    }

    @Test
    void connectionLimitsRefuseWith429And503BeforeTheUpgrade() throws Exception {
        Switchboard board = Switchboard.builder()
                .authenticator(h -> dev.switchboard.Identity.user(h.bearerToken()))
                .connectionLimits(dev.switchboard.ConnectionLimits.builder().maxPerUser(2).maxPerAddress(3).maxConnections(4)
                        .build())
                .build();
        JettyTransport transport = serve(board);
        java.util.function.Function<String, RecordingClient.Builder> as = user ->
                RecordingClient.to(transport.uri()).header("Authorization", "Bearer " + user);

        for (String user : List.of("alice", "alice", "bob")) {
            RecordingClient c = as.apply(user).connect();
            resources.add(c);
            c.assertFrame("welcome");
        }
        assertThat(as.apply("alice").refusedStatus()).as("third of alice").isEqualTo(429);
        assertThat(as.apply("carol").refusedStatus()).as("fourth from 127.0.0.1").isEqualTo(429);
        assertThat(board.connectionCount()).isEqualTo(3);

        // The node's total: a second address (::1) takes the fourth place, then the node is full.
        java.net.URI v6 = java.net.URI.create("ws://[::1]:" + transport.port() + "/ws");
        JettyTransport v6Transport = JettyTransport.start(board, JettyTransportOptions.builder().host("::1").port(0).build());
        resources.add(v6Transport);
        java.net.URI other = java.net.URI.create("ws://[::1]:" + v6Transport.port() + "/ws");
        RecordingClient fourth = RecordingClient.to(other).header("Authorization", "Bearer dave").connect();
        resources.add(fourth);
        fourth.assertFrame("welcome");
        assertThat(RecordingClient.to(other).header("Authorization", "Bearer erin").refusedStatus()).isEqualTo(503);
    }

    @Test
    void handshakesPerSecondPerAddressAreLimitedBeforeAuthentication() {
        java.util.concurrent.atomic.AtomicInteger authenticated = new java.util.concurrent.atomic.AtomicInteger();
        Switchboard board = Switchboard.builder()
                .authenticator(h -> {
                    authenticated.incrementAndGet();
                    throw dev.switchboard.spi.AuthenticationException.unauthorized("bad token");
                })
                .connectionLimits(dev.switchboard.ConnectionLimits.builder().handshakesPerSecondPerAddress(5).build())
                .build();
        JettyTransport transport = serve(board);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            statuses.add(RecordingClient.to(transport.uri()).header("Authorization", "Bearer guess-" + i).refusedStatus());
        }
        assertThat(statuses).contains(401, 429);
        assertThat(statuses.subList(0, 10)).containsOnly(401); // the burst of twice the rate
        assertThat(authenticated.get()).isLessThan(30);
    }
}
