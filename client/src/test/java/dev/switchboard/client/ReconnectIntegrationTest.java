package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Audience;
import dev.switchboard.ErrorCode;
import dev.switchboard.SwitchboardException;
import dev.switchboard.spi.SubscriptionPolicy;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Losing the server and getting it back, and the closes after which the client must not come back. */
class ReconnectIntegrationTest {
    private static final Duration WAIT = RecordingClient.WAIT;
    private final BlockingQueue<String> disconnected = new LinkedBlockingQueue<>();
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(b -> b.subscriptionPolicy(SubscriptionPolicy.allowAll()));
        server.board().onRequest("echo", (conn, data) -> data);
        server.board().onDisconnect((conn, code, reason) -> disconnected.add(conn.id()));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void afterAServerRestartTheClientReconnectsResubscribesAndSendsWhatWaited() {
        try (RecordingClient c = RecordingClient.connect(server.clientOptions("erin").build(), "news")) {
            c.client.subscribe("lobby").join();
            String firstId = c.client.connectionId();

            server.stopTransport();
            c.assertState(ClientState.RECONNECTING);
            CompletableFuture<JsonNode> waiting = c.client.request("echo", "sent while down", Duration.ofSeconds(10));
            // while the port is closed a fresh connect fails; the reconnecting client keeps retrying meanwhile
            assertThat(SwitchboardClient.connect(server.clientOptions("other").build())).failsWithin(WAIT)
                    .withThrowableOfType(ExecutionException.class).havingCause()
                    .isInstanceOfSatisfying(SwitchboardException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
            assertThat(waiting).isNotDone();
            server.restartTransport();
            c.assertState(ClientState.OPEN);

            assertThat(c.client.connectionId()).isNotEqualTo(firstId);
            assertThat(waiting).succeedsWithin(WAIT).satisfies(r -> assertThat(r.asText()).isEqualTo("sent while down"));
            assertThat(server.board().connection(c.client.connectionId()).orElseThrow().topics())
                    .as("re-subscribed before OPEN").containsExactly("lobby");
            server.board().to(Audience.topic("lobby")).emit("news", "back again");
            c.assertEvent("news", "back again");
        }
    }

    @Test
    void aResubscriptionOfATopicThatIsNotDurableIsReportedAsNotRecovered() throws Exception {
        BlockingQueue<SubscribeResult> perTopic = new LinkedBlockingQueue<>();
        BlockingQueue<SubscribeResult> clientWide = new LinkedBlockingQueue<>();
        try (RecordingClient c = RecordingClient.connect(server.clientOptions("hank").build())) {
            c.client.onResubscribe(clientWide::add);
            SubscribeResult first = c.client.subscribe("lobby",
                    SubscribeOptions.builder().onResubscribe(perTopic::add).build()).join();
            assertThat(first).isEqualTo(new SubscribeResult("lobby", null, false));
            assertThat(c.client.position("lobby")).isEmpty();

            server.stopTransport();
            c.assertState(ClientState.RECONNECTING);
            server.restartTransport();
            c.assertState(ClientState.OPEN);

            SubscribeResult expected = new SubscribeResult("lobby", null, false);
            assertThat(perTopic.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(expected);
            assertThat(clientWide.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(expected);
        }
    }

    @Test
    void aPolicyCloseByTheServerIsFinal() {
        RecordingClient c = RecordingClient.connect(server.clientOptions("frank").build());
        server.board().connection(c.client.connectionId()).orElseThrow().close(1008, "flooding");

        assertThat(c.client.closeFuture()).succeedsWithin(WAIT).isEqualTo(new CloseStatus(1008, "flooding"));
        assertThat(c.client.state()).as("final: no reconnect").isEqualTo(ClientState.CLOSED);
    }

    @Test
    void aRefusedTokenFailsTheConnect() {
        assertThat(SwitchboardClient.connect(server.clientOptions("bad").build())).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class).havingCause()
                .isInstanceOfSatisfying(SwitchboardException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED));
        assertThat(SwitchboardClient.connect(server.clientOptions("banned").build())).failsWithin(WAIT)
                .withThrowableOfType(ExecutionException.class).havingCause()
                .isInstanceOfSatisfying(SwitchboardException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
    }

    @Test
    void closeEndsTheSessionOnBothSides() throws Exception {
        RecordingClient c = RecordingClient.connect(server.clientOptions("gina").build());
        String id = c.client.connectionId();
        c.client.close();
        assertThat(c.client.closeFuture()).succeedsWithin(WAIT).isEqualTo(new CloseStatus(1000, ""));
        assertThat(disconnected.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(id);
    }
}
