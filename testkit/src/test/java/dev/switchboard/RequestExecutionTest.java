package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testkit.InMemoryClient;
import dev.switchboard.testkit.InMemoryTransport;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Where request handlers run: pooled by default, inline on the reading thread when asked. */
class RequestExecutionTest {
    private static final Duration WAIT = Duration.ofSeconds(2);
    private final Switchboard board = Switchboard.builder().build();
    private final AtomicReference<Thread> ranOn = new AtomicReference<>();

    @AfterEach
    void tearDown() {
        board.close();
    }

    private InMemoryClient client() {
        InMemoryClient c = InMemoryTransport.attach(board).connect();
        c.nextFrame(WAIT);
        return c;
    }

    private static JsonNode request(InMemoryClient c, String event) {
        c.send("{\"type\":\"request\",\"id\":1,\"event\":\"" + event + "\",\"data\":{\"x\":1}}");
        JsonNode reply = c.nextFrame(WAIT);
        assertThat(reply.path("type").asText()).isEqualTo("reply");
        return reply;
    }

    @Test
    void anInlineHandlerRunsOnTheThreadThatReadTheRequestAndAnswersAtOnce() {
        board.onRequest("echo", JsonNode.class, (conn, data) -> {
            ranOn.set(Thread.currentThread());
            return data;
        }, Execution.INLINE);
        InMemoryClient c = client();
        c.send("{\"type\":\"request\",\"id\":1,\"event\":\"echo\",\"data\":{\"x\":1}}");
        // The in-memory transport reads on the caller's thread, so the reply is already there.
        JsonNode reply = c.pollFrame();
        assertThat(reply).isNotNull();
        assertThat(reply.at("/data/x").asInt()).isEqualTo(1);
        assertThat(ranOn.get()).isSameAs(Thread.currentThread());
    }

    @Test
    void aPooledHandlerRunsOffTheReadingThread() {
        board.onRequest("echo", (conn, data) -> {
            ranOn.set(Thread.currentThread());
            return data;
        });
        assertThat(request(client(), "echo").at("/data/x").asInt()).isEqualTo(1);
        assertThat(ranOn.get()).isNotSameAs(Thread.currentThread());
    }

    @Test
    void anInlineHandlerMayAnswerLaterAndItsFailuresAreTyped() {
        CompletableFuture<Object> later = new CompletableFuture<>();
        board.onRequest("later", JsonNode.class, (conn, data) -> later, Execution.INLINE);
        board.onRequest("fails", JsonNode.class, (conn, data) -> {
            throw new SwitchboardException(ErrorCode.CONFLICT, "no");
        }, Execution.INLINE);
        InMemoryClient c = client();
        c.send("{\"type\":\"request\",\"id\":1,\"event\":\"later\"}");
        assertThat(c.pollFrame()).isNull();
        later.complete("done");
        assertThat(c.nextFrame(WAIT).path("data").asText()).isEqualTo("done");
        assertThat(request(c, "fails").at("/error/code").asText()).isEqualTo("conflict");
    }
}
