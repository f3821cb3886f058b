package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.spi.Handshake;
import dev.switchboard.spi.HandshakeRefusedException;
import dev.switchboard.transport.InMemoryClient;
import dev.switchboard.transport.InMemoryTransport;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Switchboard#drain}: refuse new connections, let requests in flight finish, close with 1012. */
class DrainTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private final Switchboard board = Switchboard.builder().build();
    private final InMemoryTransport transport = InMemoryTransport.attach(board);

    @AfterEach
    void tearDown() {
        board.close();
    }

    private InMemoryClient client() {
        InMemoryClient c = transport.connect();
        assertThat(c.nextFrame(WAIT).path("type").asText()).isEqualTo("welcome");
        return c;
    }

    @Test
    void aRequestInFlightFinishesBeforeTheClientIsClosedWith1012() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        board.onRequest("slow", (conn, data) -> {
            started.countDown();
            release.await();
            return "done";
        });
        InMemoryClient c = client();
        c.send("{\"type\":\"request\",\"id\":1,\"event\":\"slow\"}");
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> drained = CompletableFuture.runAsync(() -> board.drain(Duration.ofSeconds(30)));
        while (!board.isDraining()) {
            Thread.onSpinWait();
        }
        // Draining: new upgrades are refused with 503, the connection with the request in flight stays.
        assertThatThrownBy(() -> transport.connect(Handshake.of("/ws")))
                .isInstanceOfSatisfying(HandshakeRefusedException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(503);
                    assertThat(e.retryAfter()).isPositive();
                });
        assertThat(drained).isNotDone();
        assertThat(c.closeCode()).isNotDone();

        release.countDown();
        JsonNode reply = c.nextFrame(WAIT);
        assertThat(reply.path("type").asText()).isEqualTo("reply");
        assertThat(reply.path("data").asText()).isEqualTo("done");
        assertThat(c.closeCode().get(5, TimeUnit.SECONDS)).isEqualTo(CloseCodes.SERVICE_RESTART);
        assertThat(c.closeReason()).isEqualTo("service restart");
        drained.get(5, TimeUnit.SECONDS);
        assertThat(board.connectionCount()).isZero();
    }

    @Test
    void theDeadlineEndsTheWaitForARequestThatNeverFinishes() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        board.onRequest("stuck", (conn, data) -> {
            started.countDown();
            return new CompletableFuture<>();
        });
        InMemoryClient c = client();
        c.send("{\"type\":\"request\",\"id\":1,\"event\":\"stuck\"}");
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

        board.drain(Duration.ofMillis(100));

        assertThat(c.closeCode().get(5, TimeUnit.SECONDS)).isEqualTo(CloseCodes.SERVICE_RESTART);
    }

    @Test
    void aDrainedNodeStillRoutesUntilClosedAndDrainsOnlyOnce() throws Exception {
        InMemoryClient c = client();
        board.drain(Duration.ZERO);
        assertThat(c.closeCode().get(5, TimeUnit.SECONDS)).isEqualTo(CloseCodes.SERVICE_RESTART);
        assertThat(board.isDraining()).isTrue();
        // The node is still up: emits go to the backplane (here: nobody), a second drain returns at once.
        assertThat(board.to(Audience.everyone()).emit("late", 1)).isZero();
        board.drain(Duration.ofSeconds(30));
        board.close();
        assertThat(board.isDraining()).isTrue();
    }
}
