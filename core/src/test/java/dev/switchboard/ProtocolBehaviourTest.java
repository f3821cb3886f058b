package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.spi.SubscriptionPolicy;
import dev.switchboard.transport.InMemoryClient;
import dev.switchboard.transport.InMemoryTransport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The protocol as a client sees it, over the in-memory transport: handlers, requests, bad input. */
class ProtocolBehaviourTest {
    private static final Duration WAIT = Duration.ofSeconds(2);
    private Switchboard board;

    @AfterEach
    void tearDown() {
        if (board != null) {
            board.close();
        }
    }

    private InMemoryClient start(Switchboard.Builder builder) {
        board = builder.build();
        InMemoryClient c = InMemoryTransport.attach(board).connect();
        JsonNode welcome = c.nextFrame(WAIT);
        assertThat(welcome.get("type").asText()).isEqualTo("welcome");
        assertThat(welcome.get("connectionId").asText()).startsWith("c-");
        assertThat(welcome.get("node").asText()).isEqualTo(board.nodeId());
        assertThat(welcome.get("heartbeatMs").asLong()).isEqualTo(board.options().heartbeat().toMillis());
        assertThat(welcome.get("maxFrameBytes").asInt()).isEqualTo(board.options().maxFrameBytes());
        return c;
    }

    private static void assertError(JsonNode frame, String code) {
        assertThat(frame.get("type").asText()).isEqualTo("error");
        assertThat(frame.get("error").get("code").asText()).isEqualTo(code);
    }

    private static void assertReplyError(JsonNode frame, int id, String code) {
        assertThat(frame.get("type").asText()).isEqualTo("reply");
        assertThat(frame.get("id").asInt()).isEqualTo(id);
        assertThat(frame.get("error").get("code").asText()).isEqualTo(code);
    }

    @Test
    void emitsReachTheirHandlerInOrder() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        InMemoryClient c = start(Switchboard.builder());
        board.on("chat.send", String.class, (conn, text) -> {
            seen.add(text);
            if (seen.size() == 50) {
                done.complete(null);
            }
        });
        for (int i = 0; i < 50; i++) {
            c.send("{\"type\":\"emit\",\"event\":\"chat.send\",\"data\":\"m" + i + "\"}");
        }
        done.get(2, TimeUnit.SECONDS);
        for (int i = 0; i < 50; i++) {
            assertThat(seen.get(i)).isEqualTo("m" + i);
        }
    }

    @Test
    void requestsGetRepliesWithTheirId() {
        InMemoryClient c = start(Switchboard.builder());
        board.onRequest("echo", (conn, data) -> data);
        board.onRequest("later", (conn, data) -> CompletableFuture.supplyAsync(() -> "done"));
        c.send("{\"type\":\"request\",\"id\":7,\"event\":\"echo\",\"data\":{\"x\":1}}");
        JsonNode reply = c.nextFrame(WAIT);
        assertThat(reply.get("type").asText()).isEqualTo("reply");
        assertThat(reply.get("id").asInt()).isEqualTo(7);
        assertThat(reply.get("data").get("x").asInt()).isEqualTo(1);
        c.send("{\"type\":\"request\",\"id\":\"abc\",\"event\":\"later\"}");
        reply = c.nextFrame(WAIT);
        assertThat(reply.get("id").asText()).isEqualTo("abc");
        assertThat(reply.get("data").asText()).isEqualTo("done");
    }

    @Test
    void handlerErrorsBecomeTypedRepliesWithoutStackTraces() {
        InMemoryClient c = start(Switchboard.builder());
        board.onRequest("missing", (conn, data) -> {
            throw new SwitchboardException(ErrorCode.NOT_FOUND, "items/1 does not exist");
        });
        board.onRequest("boom", (conn, data) -> {
            throw new IllegalStateException("secret detail");
        });
        board.onRequest("typed", Integer.class, (conn, n) -> n + 1);
        c.send("{\"type\":\"request\",\"id\":1,\"event\":\"missing\"}");
        JsonNode r = c.nextFrame(WAIT);
        assertReplyError(r, 1, "not_found");
        assertThat(r.get("error").get("message").asText()).isEqualTo("items/1 does not exist");
        c.send("{\"type\":\"request\",\"id\":2,\"event\":\"boom\"}");
        r = c.nextFrame(WAIT);
        assertReplyError(r, 2, "internal");
        assertThat(r.toString()).doesNotContain("secret detail").doesNotContain("IllegalStateException");
        c.send("{\"type\":\"request\",\"id\":3,\"event\":\"typed\",\"data\":\"not a number\"}");
        assertReplyError(c.nextFrame(WAIT), 3, "bad_request");
        c.send("{\"type\":\"request\",\"id\":4,\"event\":\"typed\",\"data\":41}");
        assertThat(c.nextFrame(WAIT).get("data").asInt()).isEqualTo(42);
    }

    @Test
    void badFramesGetErrorsAndTheConnectionStaysOpen() {
        InMemoryClient c = start(Switchboard.builder());
        board.onRequest("echo", (conn, data) -> data);
        c.send("not json at all");
        assertError(c.nextFrame(WAIT), "bad_request");
        c.send("{\"event\":\"x\"}");
        assertError(c.nextFrame(WAIT), "bad_request");
        c.send("{\"type\":\"teleport\"}");
        assertError(c.nextFrame(WAIT), "bad_request");
        c.send("{\"type\":\"request\",\"event\":\"echo\"}");
        assertError(c.nextFrame(WAIT), "bad_request");
        c.send("{\"type\":\"emit\",\"event\":\"nobody.listens\"}");
        assertError(c.nextFrame(WAIT), "unknown_event");
        c.send("{\"type\":\"request\",\"id\":5,\"event\":\"nobody.answers\"}");
        assertReplyError(c.nextFrame(WAIT), 5, "unknown_event");
        c.send("{\"type\":\"welcome\",\"connectionId\":\"x\",\"node\":\"y\"}");
        assertError(c.nextFrame(WAIT), "bad_request");
        c.sendBinary(10);
        JsonNode binary = c.nextFrame(WAIT);
        assertError(binary, "bad_request");
        assertThat(binary.get("error").get("message").asText()).contains("binary");
        c.send("{\"type\":\"request\",\"id\":6,\"event\":\"echo\",\"data\":\"still here\"}");
        assertThat(c.nextFrame(WAIT).get("data").asText()).isEqualTo("still here");
        assertThat(c.closeCode()).isNotDone();
    }

    @Test
    void oversizedFramesCloseWith1009() throws Exception {
        InMemoryClient c = start(Switchboard.builder().options(SwitchboardOptions.builder().maxFrameBytes(1024).build()));
        c.send("{\"type\":\"emit\",\"event\":\"x\",\"data\":\"" + "a".repeat(2000) + "\"}");
        assertThat(c.closeCode().get(2, TimeUnit.SECONDS)).isEqualTo(CloseCodes.TOO_BIG);
    }

    @Test
    void floodingPastTheRateLimitGetsRateLimitedThen1008() throws Exception {
        MutableClock clock = new MutableClock();
        InMemoryClient c = start(Switchboard.builder().clock(clock)
                .options(SwitchboardOptions.builder().rateLimit(10).build()));
        board.on("tick", (conn, d) -> { });
        for (int i = 0; i < 25; i++) {
            c.send("{\"type\":\"emit\",\"event\":\"tick\"}");
        }
        JsonNode f = c.nextFrame(WAIT);
        assertError(f, "rate_limited");
        assertThat(c.closeCode().get(2, TimeUnit.SECONDS)).isEqualTo(CloseCodes.POLICY_VIOLATION);
    }

    @Test
    void serverToClientRequestsCompleteWithTheReply() throws Exception {
        InMemoryClient c = start(Switchboard.builder());
        Connection conn = board.connections().iterator().next();
        CompletableFuture<JsonNode> answer = conn.request("confirm", java.util.Map.of("question", "Ship now?"),
                Duration.ofSeconds(5));
        JsonNode req = c.nextFrame(WAIT);
        assertThat(req.get("type").asText()).isEqualTo("request");
        assertThat(req.get("event").asText()).isEqualTo("confirm");
        assertThat(req.get("data").get("question").asText()).isEqualTo("Ship now?");
        c.send("{\"type\":\"reply\",\"id\":\"" + req.get("id").asText() + "\",\"data\":true}");
        assertThat(answer.get(2, TimeUnit.SECONDS).asBoolean()).isTrue();

        CompletableFuture<JsonNode> refused = conn.request("confirm", null, Duration.ofSeconds(5));
        req = c.nextFrame(WAIT);
        c.send("{\"type\":\"reply\",\"id\":\"" + req.get("id").asText()
                + "\",\"error\":{\"code\":\"forbidden\",\"message\":\"no\"}}");
        assertThatThrownBy(() -> refused.get(2, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(SwitchboardException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
    }

    @Test
    void serverToClientRequestsTimeOutAndFailWhenTheConnectionCloses() {
        InMemoryClient c = start(Switchboard.builder());
        Connection conn = board.connections().iterator().next();
        CompletableFuture<JsonNode> unanswered = conn.request("confirm", 1, Duration.ofMillis(50));
        assertThatThrownBy(() -> unanswered.get(2, TimeUnit.SECONDS)).cause()
                .isInstanceOf(RequestTimeoutException.class);
        CompletableFuture<JsonNode> orphan = conn.request("confirm", 2, Duration.ofMinutes(5));
        c.close();
        assertThatThrownBy(() -> orphan.get(2, TimeUnit.SECONDS)).cause()
                .isInstanceOf(ConnectionClosedException.class);
        assertThat(conn.request("confirm", 3, Duration.ofSeconds(1))).isCompletedExceptionally();
    }

    @Test
    void aHandlerThatNeverAnswersTimesOutOnTheServerToo() {
        InMemoryClient c = start(Switchboard.builder()
                .options(SwitchboardOptions.builder().requestTimeout(Duration.ofMillis(100)).build()));
        board.onRequest("never", (conn, data) -> new CompletableFuture<>());
        c.send("{\"type\":\"request\",\"id\":9,\"event\":\"never\"}");
        assertReplyError(c.nextFrame(WAIT), 9, "timeout");
    }

    @Test
    void subscriptionsFollowThePolicy() {
        InMemoryClient c = start(Switchboard.builder().subscriptionPolicy(SubscriptionPolicy.allowPrefixes("public.")));
        c.send("{\"type\":\"subscribe\",\"id\":1,\"topic\":\"secret\"}");
        assertReplyError(c.nextFrame(WAIT), 1, "forbidden");
        c.send("{\"type\":\"subscribe\",\"id\":2,\"topic\":\"public.news\"}");
        JsonNode ok = c.nextFrame(WAIT);
        assertThat(ok.get("data").get("topic").asText()).isEqualTo("public.news");
        assertThat(ok.get("data").get("recovered").asBoolean()).isFalse();
        assertThat(board.to(Audience.topic("public.news")).emit("n", 1)).isEqualTo(1);
        assertThat(board.to(Audience.topic("secret")).emit("n", 1)).isZero();
        c.nextFrame(WAIT);
        c.send("{\"type\":\"unsubscribe\",\"id\":3,\"topic\":\"public.news\"}");
        assertThat(c.nextFrame(WAIT).get("data").get("unsubscribed").asBoolean()).isTrue();
        assertThat(board.to(Audience.topic("public.news")).emit("n", 1)).isZero();
    }

    @Test
    void theDefaultPolicyDeniesEverySubscription() {
        InMemoryClient c = start(Switchboard.builder());
        c.send("{\"type\":\"subscribe\",\"id\":1,\"topic\":\"anything\"}");
        assertReplyError(c.nextFrame(WAIT), 1, "forbidden");
    }

    @Test
    void interceptorsCanRefuseMessages() {
        InMemoryClient c = start(Switchboard.builder());
        board.onRequest("admin.reset", (conn, d) -> "reset");
        board.intercept((conn, msg) -> {
            if (msg.event().startsWith("admin.") && !conn.identity().hasRole("admin")) {
                throw new SwitchboardException(ErrorCode.FORBIDDEN, "admins only");
            }
        });
        c.send("{\"type\":\"request\",\"id\":1,\"event\":\"admin.reset\"}");
        assertReplyError(c.nextFrame(WAIT), 1, "forbidden");
    }

    @Test
    void pingsArePongedAndConnectHandlersRunFirst() {
        board = Switchboard.builder().build();
        board.onConnect(conn -> conn.send("hello", conn.id()));
        InMemoryClient c = InMemoryTransport.attach(board).connect();
        assertThat(c.nextFrame(WAIT).get("type").asText()).isEqualTo("welcome");
        assertThat(c.nextFrame(WAIT).get("event").asText()).isEqualTo("hello");
        c.send("{\"type\":\"ping\"}");
        assertThat(c.nextFrame(WAIT).get("type").asText()).isEqualTo("pong");
    }

    @Test
    void disconnectHandlersRunOnceWithTheCloseCode() throws Exception {
        CompletableFuture<Integer> code = new CompletableFuture<>();
        board = Switchboard.builder().build();
        board.onDisconnect((conn, c, reason) -> code.complete(c));
        InMemoryClient c = InMemoryTransport.attach(board).connect();
        c.close();
        assertThat(code.get(2, TimeUnit.SECONDS)).isEqualTo(1000);
        assertThat(board.connectionCount()).isZero();
    }

    @Test
    void closingTheNodeDrainsConnectionsWith1012() throws Exception {
        InMemoryClient c = start(Switchboard.builder());
        board.close();
        assertThat(c.closeCode().get(2, TimeUnit.SECONDS)).isEqualTo(CloseCodes.SERVICE_RESTART);
    }
}
