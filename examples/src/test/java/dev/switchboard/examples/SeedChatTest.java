package dev.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.examples.chat.ChatExample;
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
    private static TestRedis redis;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private ChatExample nodeA;
    private ChatExample nodeB;

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.start();
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

    private PlainSocket plain(ChatExample node, String pathAndQuery) {
        PlainSocket s = PlainSocket.connect(URI.create("ws://localhost:" + node.port() + pathAndQuery));
        resources.add(s);
        return s;
    }

    private void twoNodes() {
        nodeA = node();
        nodeB = node();
    }

    @Test
    void twoPlainClientsOnTwoNodesGreetJoinTalkAndLeave() {
        twoNodes();
        PlainSocket alice = plain(nodeA, "/chat/Alice?age=20");
        alice.expect("Hi Alice! You have succesfully connected to the chat", "Alice with age 20 connected to chat");

        caughtUp(nodeA, nodeB); // else Alice's greeting may reach node B after Bob joined, and Bob hears it
        PlainSocket bob = plain(nodeB, "/chat/Bob?age=25");
        bob.expect("Hi Bob! You have succesfully connected to the chat", "Bob with age 25 connected to chat");
        alice.expect("Bob with age 25 connected to chat");

        alice.send("Hello Bob");
        alice.expect("Alice: Hello Bob");
        bob.expect("Alice: Hello Bob");
        bob.send("Hi Alice, how are you?");
        bob.expect("Bob: Hi Alice, how are you?");
        alice.expect("Bob: Hi Alice, how are you?");

        bob.close();
        alice.expect("Bob left the chat");
        alice.expectNothingMore();
    }

    @Test
    void manyPlainClientsAllHearEachLineOnceAndInOrder() {
        twoNodes();
        List<PlainSocket> people = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            // The last greeting went out on one node only as far as its people heard it: let the other node
            // deliver it before P_i joins there, else P_i hears it (pub/sub delivers to whoever is in the
            // room when the message arrives, as the first test says).
            caughtUp(nodeA, nodeB);
            caughtUp(nodeB, nodeA);
            PlainSocket p = plain(i % 2 == 0 ? nodeA : nodeB, "/chat/P" + i + "?age=" + (30 + i));
            p.expect("Hi P" + i + "! You have succesfully connected to the chat",
                    "P" + i + " with age " + (30 + i) + " connected to chat");
            for (PlainSocket earlier : people) {
                earlier.expect("P" + i + " with age " + (30 + i) + " connected to chat");
            }
            people.add(p);
        }
        for (int line = 0; line < 5; line++) {
            people.get(line % 4).send("line " + line);
            for (PlainSocket p : people) {
                p.expect("P" + (line % 4) + ": line " + line);
            }
        }
        for (PlainSocket p : people) {
            p.expectNothingMore();
        }
    }

    @Test
    void plainClientsAndTheSwitchboardPageShareTheRoom() throws Exception {
        twoNodes();
        PlainSocket alice = plain(nodeA, "/chat/Alice?age=20");
        alice.expect("Hi Alice! You have succesfully connected to the chat", "Alice with age 20 connected to chat");

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
        alice.expect("Carol with age 30 connected to chat");

        alice.send("hi Carol");
        alice.expect("Alice: hi Carol");
        assertThat(awaitLine(carolHears, "Alice: hi Carol")).isTrue();

        carol.emit("chat.send", "hi Alice");
        alice.expect("Carol: hi Alice");

        carol.close();
        alice.expect("Carol left the chat");
    }

    @Test
    void aNameThatIsTooLongIsRefusedBeforeTheUpgrade() {
        nodeA = node();
        assertThat(PlainSocket.refusedStatus(URI.create("ws://localhost:" + nodeA.port() + "/chat/" + "x".repeat(41))))
                .isEqualTo(403);
    }

    @Test
    void eachNodeServesItsMetricsForPrometheus() throws Exception {
        nodeA = node();
        PlainSocket alice = plain(nodeA, "/chat/Alice?age=20");
        alice.expect("Hi Alice! You have succesfully connected to the chat", "Alice with age 20 connected to chat");

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
            PlainSocket alice = plain(nodeA, "/chat/Alice?age=20");
            alice.expect("Hi Alice! You have succesfully connected to the chat", "Alice with age 20 connected to chat");
            alice.send("logged line");
            alice.expect("Alice: logged line");

            String connectionId = nodeA.board().connections().iterator().next().id();
            // The line is logged right after it is relayed, so it may land just after Alice reads it.
            ch.qos.logback.classic.spi.ILoggingEvent line = logged.poll(PlainSocket.TIMEOUT.toMillis(),
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
        long deadline = System.nanoTime() + PlainSocket.TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String next = heard.poll(100, TimeUnit.MILLISECONDS);
            if (line.equals(next)) {
                return true;
            }
        }
        return false;
    }
}
