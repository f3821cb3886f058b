package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.ConnectionClosedException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client made by {@code create()} takes listeners before {@code connect()}, so nothing the server sends
 * right after its welcome is lost (the chat's greeting was, with listeners added after {@code connect}).
 */
class CreateThenConnectIntegrationTest {
    /**
     * Every wait here is for something that must happen (a connect, a greeting, a reply) and ends as soon as it
     * does, so it can be generous: a fresh JVM's first connections on a loaded machine may take more than 5 s.
     */
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final BlockingQueue<String> emitted = new LinkedBlockingQueue<>();
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start();
        server.board()
                .onConnect(conn -> conn.send("greeting", "hi " + conn.identity().userId()))
                .on("chat.send", String.class, (conn, text) -> emitted.add(text));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theGreetingSentAtConnectReachesAListenerAddedBeforeConnect() throws Exception {
        // The race this closes was lost about one time in three; thirty connections make a regression show.
        for (int i = 0; i < 30; i++) {
            BlockingQueue<String> greetings = new LinkedBlockingQueue<>();
            try (SwitchboardClient client = SwitchboardClient.create(server.clientOptions("user" + i).build())) {
                client.on("greeting", String.class, (text, topic) -> greetings.add(text));
                assertThat(client.state()).isEqualTo(ClientState.NEW);
                assertThat(client.connect()).succeedsWithin(WAIT);
                assertThat(greetings.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("greeting #%d", i)
                        .isEqualTo("hi user" + i);
            }
        }
    }

    @Test
    void statesGoFromNewThroughConnectingToOpen() {
        List<ClientState> seen = new CopyOnWriteArrayList<>();
        try (SwitchboardClient client = SwitchboardClient.create(server.clientOptions("alice").build())) {
            client.onStateChange((from, to) -> seen.add(to));
            assertThat(client.connect()).succeedsWithin(WAIT).isSameAs(client);
            assertThat(client.connect()).as("a second connect() is the same outcome").succeedsWithin(WAIT);
            assertThat(client.state()).isEqualTo(ClientState.OPEN);
            // state listeners run on the callback executor before the connect future's completion
            assertThat(seen).containsExactly(ClientState.CONNECTING, ClientState.OPEN);
        }
    }

    @Test
    void emitsAndRequestsMadeBeforeConnectAreSentAfterTheWelcome() throws Exception {
        server.board().onRequest("echo", (conn, data) -> data);
        // the request's timeout runs from now, before the connection is even opened
        try (SwitchboardClient client = SwitchboardClient.create(server.clientOptions("alice").requestTimeout(WAIT).build())) {
            var emit = client.emit("chat.send", "early");
            var echo = client.request("echo", "early too");
            assertThat(emit).isNotDone();
            client.connect();
            assertThat(emit).succeedsWithin(WAIT);
            assertThat(echo).succeedsWithin(WAIT).extracting(JsonNode::asText).isEqualTo("early too");
            assertThat(emitted.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("early");
        }
    }

    @Test
    void closingBeforeConnectFailsWhatWasQueuedAndTheConnect() {
        SwitchboardClient client = SwitchboardClient.create(server.clientOptions("alice").build());
        var emit = client.emit("chat.send", "never sent");
        client.close();
        assertThat(client.state()).isEqualTo(ClientState.CLOSED);
        assertThat(emit).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(ConnectionClosedException.class);
        assertThat(client.connect()).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(ConnectionClosedException.class);
        assertThat(client.closeFuture()).succeedsWithin(WAIT);
        assertThat(server.board().connectionCount()).isZero();
    }
}
