package dev.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.examples.chat.ChatExample;
import dev.switchboard.testkit.EmbeddedRedis;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seed's own web client page ({@code /seed.html}: a plain {@code new WebSocket(".../chat/Alice?age=20")},
 * {@code onmessage}, {@code send}) in headless Chromium against one chat node, and the Switchboard page
 * against another node sharing a real Redis: both people are in the same room.
 */
class SeedPageBrowserTest {
    private static Chromium alice;
    private static Chromium bob;
    private static EmbeddedRedis redis;

    private ChatExample nodeA;
    private ChatExample nodeB;

    @BeforeAll
    static void start() {
        if (Chromium.installed()) {
            alice = Chromium.start();
            bob = Chromium.start();
            redis = EmbeddedRedis.start();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (Chromium browser : new Chromium[] {alice, bob}) {
            if (browser != null) {
                browser.close();
            }
        }
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void startChat() {
        Chromium.assumeInstalled();
        nodeA = ChatExample.start(new Settings("chat", 0, redis.uri(), "memory"));
        nodeB = ChatExample.start(new Settings("chat", 0, redis.uri(), "memory"));
    }

    @AfterEach
    void stopChat() {
        if (nodeA == null) {
            return; // skipped: no browser
        }
        try {
            alice.leave();
            bob.leave();
        } finally {
            nodeA.close();
            nodeB.close();
        }
        assertThat(alice.consoleErrors()).as("console errors in alice's page").isEmpty();
        assertThat(bob.consoleErrors()).as("console errors in bob's page").isEmpty();
    }

    @Test
    void theSeedPageChatsWithTheSwitchboardPageAcrossTwoNodes() {
        alice.open("http://localhost:" + nodeA.port() + "/seed.html");
        alice.type("#name", "Alice");
        alice.type("#age", "20");
        alice.click("#connect");
        awaitLine(alice, "Hi Alice! You have succesfully connected to the chat");
        awaitLine(alice, "Alice with age 20 connected to chat");
        assertThat(alice.find("#connectionStatus").getText()).isEqualTo("connected.");

        bob.open("http://localhost:" + nodeB.port() + "/");
        bob.type("#name", "Bob");
        bob.type("#age", "25");
        bob.click("#connect");
        bob.await(d -> "connected".equals(bob.find("#status").getText()), () -> "Bob's status: "
                + bob.find("#status").getText() + ", notice: " + bob.find("#notice").getText());
        awaitLine(alice, "Bob with age 25 connected to chat");

        alice.type("#message", "Hello Bob");
        alice.click("#send");
        awaitLine(alice, "Alice: Hello Bob");
        bob.await(d -> bobLines().contains("Alice: Hello Bob"), () -> "Bob's lines: " + bobLines());
        assertThat(alice.find("#message").getAttribute("value")).isEmpty();

        bob.type("#message", "Hi Alice");
        bob.click("#send");
        awaitLine(alice, "Bob: Hi Alice");

        bob.click("#disconnect");
        awaitLine(alice, "Bob left the chat");

        alice.click("#disconnect");
        awaitLine(alice, "Server closed the connection");
        assertThat(alice.find("#connectionStatus").getText()).isEqualTo("connection closed.");
        assertThat(lines(alice)).containsSubsequence(
                "Hi Alice! You have succesfully connected to the chat",
                "Alice with age 20 connected to chat",
                "Bob with age 25 connected to chat",
                "Alice: Hello Bob",
                "Bob: Hi Alice",
                "Bob left the chat",
                "Server closed the connection");
    }

    private static void awaitLine(Chromium page, String text) {
        page.await(d -> lines(page).contains(text), () -> "expected the line \"" + text + "\" among " + lines(page));
    }

    @SuppressWarnings("unchecked")
    private static List<String> lines(Chromium page) {
        return (List<String>) page.script(
                "return [...document.querySelectorAll('#responseBox h4')].map(h => h.textContent)");
    }

    @SuppressWarnings("unchecked")
    private static List<String> bobLines() {
        return (List<String>) bob.script(
                "return [...document.querySelectorAll('#messages li')].map(li => li.textContent)");
    }
}
