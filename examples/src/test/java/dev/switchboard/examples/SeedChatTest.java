package dev.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.examples.chat.ChatExample;
import dev.switchboard.testkit.EmbeddedRedis;
import dev.switchboard.testkit.RecordingSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seed's chat as its users try it: plain WebSocket clients at {@code /chat/{name}?age=NN} on two chat
 * nodes sharing a real Redis, with the original texts; and a Switchboard client in the same room.
 */
class SeedChatTest {
    private static EmbeddedRedis redis;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private ChatExample nodeA;
    private ChatExample nodeB;

    @BeforeAll
    static void startRedis() {
        redis = EmbeddedRedis.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private ChatExample node() {
        ChatExample chat = ChatExample.start(new Settings("chat", 0, redis.uri(), "memory"));
        resources.add(chat);
        return chat;
    }

    /**
     * Waits until node {@code to} has handled what node {@code from} published so far: {@code from}'s answer to
     * a cluster query travels behind it on the backplane, in publish order.
     */
    private static void caughtUp(ChatExample from, ChatExample to) {
        String fromId = from.board().nodeId();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                if (to.board().cluster().connectionCount().get(10, TimeUnit.SECONDS).answered().contains(fromId)) {
                    return;
                }
            } catch (Exception e) {
                throw new AssertionError("cluster query failed", e);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(to.board().nodeId() + " never heard from " + fromId);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // node not known yet
        }
    }

    /** What the seed's page does, from Java: a plain WebSocket (no sub-protocol) that sends and receives texts. */
    private RecordingSocket plain(ChatExample node, String pathAndQuery) {
        RecordingSocket s = RecordingSocket.connect(URI.create("ws://localhost:" + node.port() + pathAndQuery));
        resources.add(s);
        return s;
    }

    /** Asserts the socket's next texts, exactly and in order. */
    private static void expect(RecordingSocket socket, String... lines) {
        for (String line : lines) {
            assertThat(socket.nextText()).isEqualTo(line);
        }
    }

    private void twoNodes() {
        nodeA = node();
        nodeB = node();
    }

    @Test
    void twoPlainClientsOnTwoNodesGreetJoinTalkAndLeave() {
        twoNodes();
        RecordingSocket alice = plain(nodeA, "/chat/Alice?age=20");
        expect(alice, "Hi Alice! You have succesfully connected to the chat", "Alice with age 20 connected to chat");

        caughtUp(nodeA, nodeB); // else Alice's greeting may reach node B after Bob joined, and Bob hears it
        RecordingSocket bob = plain(nodeB, "/chat/Bob?age=25");
        expect(bob, "Hi Bob! You have succesfully connected to the chat", "Bob with age 25 connected to chat");
        expect(alice, "Bob with age 25 connected to chat");

        alice.send("Hello Bob");
        expect(alice, "Alice: Hello Bob");
        expect(bob, "Alice: Hello Bob");
        bob.send("Hi Alice, how are you?");
        expect(bob, "Bob: Hi Alice, how are you?");
        expect(alice, "Bob: Hi Alice, how are you?");

        bob.sendClose(1000, "bye");
        expect(alice, "Bob left the chat");
        alice.assertNoUnreadText();
    }

    @Test
    void manyPlainClientsAllHearEachLineOnceAndInOrder() {
        twoNodes();
        List<RecordingSocket> people = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            // The last greeting went out on one node only as far as its people heard it: let the other node
            // deliver it before P_i joins there, else P_i hears it (pub/sub delivers to whoever is in the
            // room when the message arrives, as the first test says).
            caughtUp(nodeA, nodeB);
            caughtUp(nodeB, nodeA);
            RecordingSocket p = plain(i % 2 == 0 ? nodeA : nodeB, "/chat/P" + i + "?age=" + (30 + i));
            expect(p, "Hi P" + i + "! You have succesfully connected to the chat",
                    "P" + i + " with age " + (30 + i) + " connected to chat");
            for (RecordingSocket earlier : people) {
                expect(earlier, "P" + i + " with age " + (30 + i) + " connected to chat");
            }
            people.add(p);
        }
        for (int line = 0; line < 5; line++) {
            people.get(line % 4).send("line " + line);
            for (RecordingSocket p : people) {
                expect(p, "P" + (line % 4) + ": line " + line);
            }
        }
        for (RecordingSocket p : people) {
            p.assertNoUnreadText();
        }
    }

    @Test
    void plainClientsAndTheSwitchboardPageShareTheRoom() throws Exception {
        twoNodes();
        RecordingSocket alice = plain(nodeA, "/chat/Alice?age=20");
        expect(alice, "Hi Alice! You have succesfully connected to the chat", "Alice with age 20 connected to chat");

        BlockingQueue<String> carolHears = new LinkedBlockingQueue<>();
        // The Switchboard page's way in: a signed token from the demo login, for name and age.
        java.net.http.HttpResponse<String> login = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(URI.create("http://localhost:" + nodeB.port() + "/demo/login"))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"user\":\"Carol\",\"age\":\"30\"}"))
                        .header("Content-Type", "application/json").build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        String token = new com.fasterxml.jackson.databind.ObjectMapper().readTree(login.body()).path("token").asText();
        SwitchboardClient carol = SwitchboardClient.connect(ClientOptions.builder(
                URI.create("ws://localhost:" + nodeB.port() + "/ws")).token(token).build()).join();
        resources.add(carol);
        carol.on(ChatExample.MESSAGE, String.class, (text, topic) -> carolHears.add(text));
        expect(alice, "Carol with age 30 connected to chat");

        alice.send("hi Carol");
        expect(alice, "Alice: hi Carol");
        assertThat(awaitLine(carolHears, "Alice: hi Carol")).isTrue();

        carol.emit("chat.send", "hi Alice");
        expect(alice, "Carol: hi Alice");

        carol.close();
        expect(alice, "Carol left the chat");
    }

    @Test
    void aNameThatIsTooLongIsRefusedBeforeTheUpgrade() {
        nodeA = node();
        URI tooLong = URI.create("ws://localhost:" + nodeA.port() + "/chat/" + "x".repeat(41));
        assertThatThrownBy(() -> RecordingSocket.connect(tooLong))
                .satisfies(e -> assertThat(RecordingSocket.handshakeStatus(e)).isEqualTo(403));
    }

    @Test
    void eachNodeServesItsMetricsForPrometheus() throws Exception {
        nodeA = node();
        RecordingSocket alice = plain(nodeA, "/chat/Alice?age=20");
        expect(alice, "Hi Alice! You have succesfully connected to the chat", "Alice with age 20 connected to chat");

        java.net.http.HttpResponse<String> scrape = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(URI.create("http://localhost:" + nodeA.port() + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("switchboard_connections{app=\"chat\"} 1")
                .contains("switchboard_cluster_nodes{app=\"chat\"}")
                .contains("jvm_memory_used_bytes{app=\"chat\"");
    }

    @Test
    void chatLinesAreLoggedWithTheNodeAndConnectionIds() throws Exception {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(dev.switchboard.examples.chat.SeedChat.class);
        BlockingQueue<ch.qos.logback.classic.spi.ILoggingEvent> logged = new LinkedBlockingQueue<>();
        ch.qos.logback.core.AppenderBase<ch.qos.logback.classic.spi.ILoggingEvent> lines =
                new ch.qos.logback.core.AppenderBase<>() {
                    @Override
                    protected void append(ch.qos.logback.classic.spi.ILoggingEvent event) {
                        event.prepareForDeferredProcessing(); // the MDC is read on the logging thread
                        logged.add(event);
                    }
                };
        lines.start();
        ch.qos.logback.classic.Level level = logger.getLevel();
        logger.setLevel(ch.qos.logback.classic.Level.INFO);
        logger.setAdditive(false);
        logger.addAppender(lines);
        try {
            nodeA = node();
            RecordingSocket alice = plain(nodeA, "/chat/Alice?age=20");
            expect(alice, "Hi Alice! You have succesfully connected to the chat", "Alice with age 20 connected to chat");
            alice.send("logged line");
            expect(alice, "Alice: logged line");

            String connectionId = nodeA.board().connections().iterator().next().id();
            // The line is logged right after it is relayed, so it may land just after Alice reads it.
            ch.qos.logback.classic.spi.ILoggingEvent line = logged.poll(RecordingSocket.WAIT.toMillis(),
                    TimeUnit.MILLISECONDS);
            assertThat(line).as("the logged chat line").isNotNull();
            assertThat(line.getFormattedMessage()).isEqualTo("Alice: logged line");
            assertThat(line.getMDCPropertyMap()).containsEntry("switchboard.node", nodeA.board().nodeId())
                    .containsEntry("switchboard.connection", connectionId);
        } finally {
            logger.detachAppender(lines);
            logger.setAdditive(true);
            logger.setLevel(level);
        }
    }

    /** Skips what the JSON client heard before (its own join) until the line, or times out. */
    private static boolean awaitLine(BlockingQueue<String> heard, String line) throws InterruptedException {
        long deadline = System.nanoTime() + RecordingSocket.WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String next = heard.poll(100, TimeUnit.MILLISECONDS);
            if (line.equals(next)) {
                return true;
            }
        }
        return false;
    }
}
