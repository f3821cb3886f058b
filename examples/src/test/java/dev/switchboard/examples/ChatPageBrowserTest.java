package dev.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.examples.chat.ChatExample;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The chat page in two headless Chromium pages against a real {@link ChatExample}: greetings,
 * join notices, broadcast lines and the leave notice, with their exact texts.
 */
class ChatPageBrowserTest {
    private static Chromium alice;
    private static Chromium bob;

    private ChatExample chat;
    private String url;

    @BeforeAll
    static void startBrowsers() {
        if (Chromium.installed()) {
            alice = Chromium.start();
            bob = Chromium.start();
        }
    }

    @AfterAll
    static void stopBrowsers() {
        for (Chromium browser : new Chromium[] {alice, bob}) {
            if (browser != null) {
                browser.close();
            }
        }
    }

    @BeforeEach
    void startChat() {
        Chromium.assumeInstalled();
        chat = ChatExample.start(0);
        url = "http://localhost:" + chat.port() + "/";
    }

    @AfterEach
    void stopChat() {
        if (chat == null) {
            return; // skipped: no browser
        }
        try {
            alice.leave();
            bob.leave();
        } finally {
            chat.close();
        }
        // An uncaught exception in a page script fails the test even when the page looked right.
        assertThat(alice.consoleErrors()).as("console errors in alice's page").isEmpty();
        assertThat(bob.consoleErrors()).as("console errors in bob's page").isEmpty();
    }

    @Test
    void twoPeopleChatAndSeeEachOtherComeAndGo() {
        alice.open(url);
        join(alice, "Alice", "30");
        awaitMessage(alice, "Hi Alice! You have successfully connected to the chat");
        awaitMessage(alice, "Alice with age 30 connected to chat");

        bob.open(url);
        join(bob, "Bob", "25");
        awaitMessage(bob, "Hi Bob! You have successfully connected to the chat");
        awaitMessage(bob, "Bob with age 25 connected to chat");
        awaitMessage(alice, "Bob with age 25 connected to chat");

        bob.type("#message", "hello");
        bob.click("#send");
        awaitMessage(bob, "Bob: hello");
        awaitMessage(alice, "Bob: hello");
        // The greeting goes to the newcomer's connection only; it would have reached Alice
        // before Bob's line, which travelled the same connection after it.
        assertThat(messages(alice)).doesNotContain("Hi Bob! You have successfully connected to the chat");
        assertThat(bob.find("#message").getAttribute("value")).isEmpty();

        bob.click("#disconnect");
        awaitMessage(alice, "Bob left the chat");
        bob.await(d -> "disconnected".equals(bob.find("#status").getText()),
                () -> "Bob's status: " + bob.find("#status").getText());
        assertThat(messages(alice)).containsSubsequence(
                "Hi Alice! You have successfully connected to the chat",
                "Alice with age 30 connected to chat",
                "Bob with age 25 connected to chat",
                "Bob: hello",
                "Bob left the chat");
    }

    private static void join(Chromium page, String name, String age) {
        page.type("#name", name);
        page.type("#age", age);
        page.click("#connect");
        page.await(d -> "connected".equals(page.find("#status").getText()),
                () -> name + "'s status: " + page.find("#status").getText() + ", notice: " + page.find("#notice").getText());
    }

    /** Waits until the page shows a chat line with exactly {@code text}. */
    private static void awaitMessage(Chromium page, String text) {
        page.await(d -> messages(page).contains(text),
                () -> "expected the line \"" + text + "\" among " + messages(page));
    }

    @SuppressWarnings("unchecked")
    private static List<String> messages(Chromium page) {
        return (List<String>) page.script(
                "return [...document.querySelectorAll('#messages li')].map(li => li.textContent)");
    }
}
