package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Connection;
import dev.switchboard.ErrorCode;
import dev.switchboard.RequestTimeoutException;
import dev.switchboard.SwitchboardException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssertAlternative;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Emits and requests in both directions between the real client and a real server. */
class RequestReplyIntegrationTest {
    private static final Duration WAIT = RecordingClient.WAIT;
    private final BlockingQueue<String> emitted = new LinkedBlockingQueue<>();
    private TestServer server;
    private RecordingClient alice;

    record Sum(int a, int b) {
    }

    record Total(int total) {
    }

    @BeforeEach
    void start() {
        server = TestServer.start();
        server.board()
                .on("chat.send", String.class, (conn, text) -> emitted.add(conn.identity().userId() + ": " + text))
                .onRequest("echo", (conn, data) -> data)
                .onRequest("sum", Sum.class, (conn, s) -> new Total(s.a() + s.b()))
                .onRequest("get", (conn, data) -> {
                    throw new SwitchboardException(ErrorCode.NOT_FOUND, "items/" + data.asText() + " does not exist");
                })
                .onRequest("never", (conn, data) -> new CompletableFuture<>());
        alice = RecordingClient.connect(server.clientOptions("alice").build());
    }

    @AfterEach
    void stop() {
        alice.close();
        server.close();
    }

    private static <T> ThrowableAssertAlternative<?> assertFailed(CompletableFuture<T> f) {
        return assertThat(f).failsWithin(WAIT).withThrowableOfType(ExecutionException.class).havingCause();
    }

    private Connection serverSideOf(SwitchboardClient client) {
        return server.board().connection(client.connectionId()).orElseThrow();
    }

    @Test
    void theWelcomeNamesTheConnectionAndTheNode() {
        assertThat(alice.client.state()).isEqualTo(ClientState.OPEN);
        assertThat(alice.client.nodeId()).isEqualTo(server.board().nodeId());
        assertThat(serverSideOf(alice.client).identity().userId()).isEqualTo("alice");
    }

    @Test
    void anEmitReachesTheServerHandler() throws Exception {
        assertThat(alice.client.emit("chat.send", "hi")).succeedsWithin(WAIT);
        assertThat(emitted.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("alice: hi");
    }

    @Test
    void anEmitNobodyHandlesComesBackAsAnErrorFrame() throws Exception {
        BlockingQueue<SwitchboardException> errors = new LinkedBlockingQueue<>();
        alice.client.onError(errors::add);
        alice.client.emit("no.such.event", 1);
        SwitchboardException e = errors.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_EVENT);
    }

    @Test
    void aRequestGetsItsReply() {
        assertThat(alice.client.request("echo", Map.of("x", 1))).succeedsWithin(WAIT)
                .satisfies(reply -> assertThat(reply.get("x").asInt()).isEqualTo(1));
        assertThat(alice.client.request("sum", new Sum(2, 3), Total.class)).succeedsWithin(WAIT)
                .isEqualTo(new Total(5));
    }

    @Test
    void manyConcurrentRequestsEachGetTheirOwnReply() {
        CompletableFuture<?>[] all = new CompletableFuture<?>[200];
        for (int i = 0; i < all.length; i++) {
            int n = i;
            all[i] = alice.client.request("echo", n).thenAccept(r -> assertThat(r.asInt()).isEqualTo(n));
        }
        assertThat(CompletableFuture.allOf(all)).succeedsWithin(WAIT);
    }

    @Test
    void anErrorReplyFailsTheRequestWithTheServersCode() {
        assertFailed(alice.client.request("get", "7")).isInstanceOfSatisfying(SwitchboardException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
            assertThat(e).hasMessage("items/7 does not exist");
        });
        assertFailed(alice.client.request("no.such.request", null)).isInstanceOfSatisfying(SwitchboardException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_EVENT));
    }

    @Test
    void aHandlerThatNeverAnswersTimesOutOnTheClient() {
        assertFailed(alice.client.request("never", null, Duration.ofMillis(300)))
                .isInstanceOf(RequestTimeoutException.class);
        assertThat(alice.client.state()).isEqualTo(ClientState.OPEN);
    }

    @Test
    void theServerCanAskTheClient() {
        alice.client.onRequest("confirm", data -> Map.of("ok", data.get("question").asText().endsWith("?")));
        CompletableFuture<JsonNode> answer = serverSideOf(alice.client)
                .request("confirm", Map.of("question", "Ship now?"), WAIT);
        assertThat(answer).succeedsWithin(WAIT).satisfies(a -> assertThat(a.get("ok").asBoolean()).isTrue());
    }

    @Test
    void aClientErrorReachesTheServerWithItsCode() {
        alice.client.onRequest("confirm", data -> {
            throw new SwitchboardException(ErrorCode.FORBIDDEN, "alice says no");
        });
        CompletableFuture<JsonNode> answer = serverSideOf(alice.client).request("confirm", null, WAIT);
        assertFailed(answer).isInstanceOfSatisfying(SwitchboardException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(e).hasMessage("alice says no");
        });
        assertFailed(serverSideOf(alice.client).request("unhandled", null, WAIT))
                .isInstanceOfSatisfying(SwitchboardException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_EVENT));
    }

    @Test
    void aServerRequestTheClientNeverAnswersTimesOutOnTheServer() {
        alice.client.onRequest("confirm", data -> new CompletableFuture<>());
        assertFailed(serverSideOf(alice.client).request("confirm", null, Duration.ofMillis(300)))
                .isInstanceOf(RequestTimeoutException.class);
    }
}
