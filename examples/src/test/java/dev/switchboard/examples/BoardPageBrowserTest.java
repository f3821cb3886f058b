package dev.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.examples.board.BoardExample;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * The task board page in two headless Chromium pages against a real {@link BoardExample}: every
 * write made on one page shows on the other at once, without reloading, and an edit based on a
 * version someone else has since replaced is refused with a visible conflict.
 */
class BoardPageBrowserTest {
    private static Chromium pageA;
    private static Chromium pageB;

    private BoardExample board;
    private String url;

    @BeforeAll
    static void startBrowsers() {
        if (Chromium.installed()) {
            pageA = Chromium.start();
            pageB = Chromium.start();
        }
    }

    @AfterAll
    static void stopBrowsers() {
        for (Chromium browser : new Chromium[] {pageA, pageB}) {
            if (browser != null) {
                browser.close();
            }
        }
    }

    @BeforeEach
    void startBoard() {
        Chromium.assumeInstalled();
        board = BoardExample.start(0);
        url = "http://localhost:" + board.port() + "/";
    }

    @AfterEach
    void stopBoard() {
        if (board == null) {
            return; // skipped: no browser
        }
        try {
            pageA.leave();
            pageB.leave();
        } finally {
            board.close();
        }
        // An uncaught exception in a page script fails the test even when the page looked right.
        assertThat(pageA.consoleErrors()).as("console errors in pageA's page").isEmpty();
        assertThat(pageB.consoleErrors()).as("console errors in pageB's page").isEmpty();
    }

    @Test
    void changesMadeOnOnePageAppearLiveOnTheOther() {
        openBoard(pageA);
        openBoard(pageB);
        pageB.script("window.notReloaded = true");

        pageA.type("#new-title", "Write the docs");
        pageA.click("#add");
        String id = awaitCard(pageB, "todo", "Write the docs");
        awaitCard(pageA, "todo", "Write the docs");
        assertThat(pageA.find("#new-title").getAttribute("value")).as("the add form is cleared").isEmpty();

        pageA.click(card("todo", id) + " .move-doing");
        pageB.await(d -> inColumn(pageB, "doing", id) && !inColumn(pageB, "todo", id),
                () -> "B's columns: " + columns(pageB));
        assertThat(pageB.find(card("doing", id)).getAttribute("data-version")).isEqualTo("2");
        assertThat(pageB.find(card("doing", id) + " .title").getText()).isEqualTo("Write the docs");

        pageA.click(card("doing", id) + " .delete");
        pageB.await(d -> d.findElements(By.cssSelector("li[data-id='" + id + "']")).isEmpty(),
                () -> "B still shows task " + id + ": " + columns(pageB));
        pageA.await(d -> d.findElements(By.cssSelector("li[data-id='" + id + "']")).isEmpty(),
                () -> "A still shows task " + id + ": " + columns(pageA));
        assertThat(pageB.script("return window.notReloaded === true")).as("B was updated without reloading").isEqualTo(true);
    }

    @Test
    void anEditOfAStaleVersionIsRefusedWithAVisibleConflict() {
        openBoard(pageA);
        openBoard(pageB);
        pageA.type("#new-title", "Original title");
        pageA.click("#add");
        String id = awaitCard(pageA, "todo", "Original title");
        awaitCard(pageB, "todo", "Original title");

        // A starts editing at version 1: the editor keeps that version until it is saved.
        pageA.click(card("todo", id) + " .edit");
        pageA.find(card("todo", id) + " .edit-title");

        // Meanwhile B edits the same task and saves: the task is at version 2 now.
        pageB.click(card("todo", id) + " .edit");
        pageB.type(card("todo", id) + " .edit-title", "Changed by B");
        pageB.click(card("todo", id) + " .save");
        pageB.await(d -> "Changed by B".equals(d.findElement(By.cssSelector(card("todo", id) + " .title")).getText()),
                () -> "B's columns: " + columns(pageB));
        // A's page has heard of version 2, yet leaves the open editor (and its version) alone,
        // and warns that saving will be refused.
        pageA.await(d -> "2".equals(d.findElement(By.cssSelector(card("todo", id))).getAttribute("data-version"))
                        && d.findElement(By.cssSelector(card("todo", id) + " .edit-hint")).isDisplayed(),
                () -> "A's card: " + pageA.find(card("todo", id)).getAttribute("outerHTML"));

        pageA.type(card("todo", id) + " .edit-title", "Changed by A");
        pageA.click(card("todo", id) + " .save");

        String notice = pageA.await(d -> {
            var element = d.findElement(By.id("notice"));
            return element.isDisplayed() && element.getText().contains("conflict") ? element.getText() : null;
        }, () -> "A's notice: \"" + pageA.find("#notice").getText() + "\"");
        assertThat(notice).contains("changed by someone else").contains("Changed by A");
        assertThat(pageA.find("#notice").getAttribute("data-kind")).isEqualTo("error");
        // A's page shows what is stored: B's title, version 2, editor closed.
        pageA.await(d -> "Changed by B".equals(d.findElement(By.cssSelector(card("todo", id) + " .title")).getText()),
                () -> "A's columns: " + columns(pageA));
        assertThat(pageA.find(card("todo", id) + " .edit-title").isDisplayed()).isFalse();
        assertThat(pageA.find(card("todo", id)).getAttribute("data-version")).isEqualTo("2");
        // Nothing of A's stale edit reached B.
        assertThat(titles(pageB, "todo")).containsExactly("Changed by B");
    }

    /**
     * Bob sees Alice's task live, is offered no way to change it, and the server refuses him when he
     * tries anyway (a PATCH, a DELETE, a task in Alice's name); Alice still can.
     */
    @Test
    void everyoneSeesEveryTaskButOnlyItsOwnerMayChangeIt() {
        openBoard(pageA);
        pageB.open(url + "?user=bob");
        pageB.await(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-live")),
                () -> "bob's board never went live; notice: " + pageB.find("#notice").getText());
        assertThat(pageB.find("#user").getAttribute("value")).isEqualTo("bob");

        pageA.type("#new-title", "Alice's task");
        pageA.click("#add");
        String id = awaitCard(pageB, "todo", "Alice's task");
        assertThat(pageB.find(card("todo", id) + " .owner").getText()).isEqualTo("by alice");
        assertThat(pageB.find(card("todo", id) + " .actions").isDisplayed()).as("bob is offered no actions").isFalse();
        awaitCard(pageA, "todo", "Alice's task");
        assertThat(pageA.find(card("todo", id) + " .owner").getText()).isEqualTo("yours");
        assertThat(pageA.find(card("todo", id) + " .actions").isDisplayed()).isTrue();

        assertThat(asUser(pageB, "bob", """
                const tasks = sb.collection("tasks");
                const out = [];
                for (const attempt of [() => tasks.patch(args, { title: "Bob's now" }), () => tasks.delete(args),
                    () => tasks.patch(args, { owner: "bob" }), () => tasks.create({ title: "x", status: "todo", owner: "alice" })]) {
                  try { await attempt(); out.push("allowed"); } catch (e) { out.push(e.code); }
                }
                return out.join(",");
                """, id)).isEqualTo("forbidden,forbidden,forbidden,forbidden");

        pageA.click(card("todo", id) + " .move-done");
        awaitCard(pageB, "done", "Alice's task");
        assertThat(titles(pageB, "done")).containsExactly("Alice's task");
    }

    @Test
    void columnsArePagedSortedAndFilteredAndStayLive() {
        openBoard(pageA);
        openBoard(pageB);
        new Select(pageA.find("#page-size")).selectByVisibleText("5");
        new Select(pageA.find("#sort")).selectByValue("-title");

        create(pageB, "Task A", "Task B", "Task C", "Task D", "Task E", "Task F", "Task G");
        pageA.await(d -> titles(pageA, "todo").equals(List.of("Task G", "Task F", "Task E", "Task D", "Task C"))
                        && "7".equals(d.findElement(By.cssSelector("#todo .count")).getText()),
                () -> "A's columns: " + columns(pageA));
        assertThat(pageA.find("#todo .page-info").getText()).isEqualTo("1–5 of 7 · page 1 of 2");

        pageA.click("#todo .next");
        pageA.await(d -> titles(pageA, "todo").equals(List.of("Task B", "Task A")), () -> "A's columns: " + columns(pageA));
        // A task created elsewhere that sorts onto this page appears on it, in its place.
        create(pageB, "Task 0");
        pageA.await(d -> titles(pageA, "todo").equals(List.of("Task B", "Task A", "Task 0"))
                        && "6–8 of 8 · page 2 of 2".equals(d.findElement(By.cssSelector("#todo .page-info")).getText()),
                () -> "A's columns: " + columns(pageA));

        new Select(pageA.find("#filter")).selectByValue("doing");
        pageA.await(d -> !d.findElement(By.id("todo")).isDisplayed() && d.findElement(By.id("doing")).isDisplayed()
                        && !d.findElement(By.id("done")).isDisplayed(),
                () -> "the filter did not leave only Doing visible");
        pageB.click(card("todo", idOf(pageB, "todo", "Task G")) + " .move-doing");
        awaitCard(pageA, "doing", "Task G");
    }

    // ---- helpers ---------------------------------------------------------------------------

    private void openBoard(Chromium page) {
        page.open(url);
        page.await(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-live"))
                        && "connected".equals(d.findElement(By.id("status")).getText()),
                () -> "the board never went live; status: " + page.find("#status").getText()
                        + ", notice: " + page.find("#notice").getText());
    }

    /** Creates tasks as alice through a second JS client in {@code page}, one after the other. */
    private static void create(Chromium page, String... titles) {
        assertThat(asUser(page, "alice", """
                const tasks = sb.collection("tasks");
                for (const title of args) await tasks.create({ title, status: "todo", owner: "alice" });
                return "ok";
                """, List.of(titles))).isEqualTo("ok");
    }

    /**
     * Runs {@code body} (async; {@code sb} is a client signed in as {@code user}, {@code args} the
     * argument) in a second JS client in {@code page}.
     *
     * @return what the body returned, or "failed: code message"
     */
    private static Object asUser(Chromium page, String user, String body, Object args) {
        return ((org.openqa.selenium.JavascriptExecutor) page.driver()).executeAsyncScript("""
                const user = arguments[0];
                const args = arguments[1];
                const done = arguments[arguments.length - 1];
                import("/switchboard.js").then(async ({ connect }) => {
                  const login = await fetch("/demo/login", { method: "POST", headers: { "Content-Type": "application/json" },
                      body: JSON.stringify({ user }) }).then((r) => r.json());
                  const sb = await connect(`ws://${location.host}/ws`, { token: login.token });
                  try {
                    done(await (async () => { %s })());
                  } finally {
                    await sb.close();
                  }
                }).catch((e) => done("failed: " + e.code + " " + e.message));
                """.formatted(body), user, args);
    }

    private static String card(String column, String id) {
        return "#" + column + " li[data-id='" + id + "']";
    }

    /** Waits for a card titled {@code title} in {@code column}; returns its id. */
    private static String awaitCard(Chromium page, String column, String title) {
        return page.await(d -> idOf(page, column, title), () -> "no \"" + title + "\" in " + column + ": " + columns(page));
    }

    private static String idOf(Chromium page, String column, String title) {
        return (String) page.script("""
                const li = [...document.querySelectorAll(`#${arguments[0]} li[data-id]`)]
                    .find((li) => li.querySelector('.title').textContent === arguments[1]);
                return li ? li.dataset.id : null;
                """, column, title);
    }

    private static boolean inColumn(Chromium page, String column, String id) {
        return !page.driver().findElements(By.cssSelector(card(column, id))).isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static List<String> titles(Chromium page, String column) {
        return (List<String>) page.script(
                "return [...document.querySelectorAll(`#${arguments[0]} li[data-id] .title`)].map((t) => t.textContent)",
                column);
    }

    /** Every column's cards as {@code id:title@version}, for failure messages. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> columns(Chromium page) {
        return (Map<String, Object>) page.script("""
                const out = {};
                for (const s of ['todo', 'doing', 'done']) {
                  out[s] = [...document.querySelectorAll(`#${s} li[data-id]`)]
                      .map((li) => `${li.dataset.id}:${li.querySelector('.title').textContent}@${li.dataset.version}`);
                }
                return out;
                """);
    }
}
