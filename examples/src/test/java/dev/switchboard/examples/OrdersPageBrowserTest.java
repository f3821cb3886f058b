package dev.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.examples.orders.OrdersExample;
import dev.switchboard.examples.orders.OrdersOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.Select;

/**
 * The orders page in headless Chromium against a real {@link OrdersExample}: an order placed on the page
 * moves through the workflow live; a late subscriber still gets the result; only the owner may follow an
 * order; the emit API feeds the notification drawer of exactly the users it names; a commerce
 * {@code order.created} CloudEvent shows up enriched on the customer's page; and a plain browser
 * WebSocket offering {@code cloudevents.json}, as seed 002 opens it, receives CloudEvents.
 */
class OrdersPageBrowserTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Chromium pageA;
    private static Chromium pageB;

    private OrdersExample orders;
    private String base;

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

    private void start(double failureRate) {
        Chromium.assumeInstalled();
        if (orders != null) {
            orders.close();
        }
        orders = OrdersExample.start(new Settings("orders", 0, "none", "memory"),
                OrdersOptions.of(Duration.ofMillis(150), failureRate));
        base = "http://localhost:" + orders.port();
    }

    @AfterEach
    void stop() {
        if (orders == null) {
            return; // skipped: no browser
        }
        try {
            pageA.leave();
            pageB.leave();
        } finally {
            orders.close();
        }
        assertThat(pageA.consoleErrors()).as("console errors in pageA's page").isEmpty();
        assertThat(pageB.consoleErrors()).as("console errors in pageB's page").isEmpty();
    }

    @Test
    void anOrderMovesLiveAndALateSubscriberStillGetsTheResult() throws Exception {
        start(0.0);
        open(pageA, "alice");
        pageA.script("""
                window.seen = [];
                new MutationObserver(() => document.querySelectorAll('#orders li[data-status]')
                    .forEach((li) => { if (window.seen.at(-1) !== li.dataset.status) window.seen.push(li.dataset.status); }))
                  .observe(document.getElementById('orders'), { subtree: true, attributes: true, childList: true });
                """);

        new Select(pageA.find("#product")).selectByValue("p-grinder");
        pageA.type("#quantity", "2");
        pageA.click("#place");

        String id = pageA.await(d -> (String) pageA.script(
                "const li = document.querySelector('#orders li[data-status=\"shipped\"]'); return li && li.dataset.id;"),
                () -> "the order never shipped; seen: " + pageA.script("return window.seen"));
        assertThat(pageA.find("#orders li[data-id='" + id + "'] .title").getText()).contains("2 × Burr grinder");
        @SuppressWarnings("unchecked")
        List<String> seen = (List<String>) pageA.script("return window.seen");
        assertThat(seen).as("every step shown as it happened").contains("paid").endsWith("shipped");
        assertThat(pageA.driver().findElements(By.cssSelector("#orders li[data-id='" + id + "'] li[data-done='true']")))
                .hasSize(4);
        // The outcome reached the drawer too, through the emit service.
        pageA.await(d -> "1".equals(d.findElement(By.id("unread")).getText()), () -> "no unread notification");

        // A late subscriber: another page of alice's, opened after the order shipped, and a bare
        // subscription to the order's topic, which answers with the last value.
        open(pageB, "alice");
        pageB.await(d -> !d.findElements(By.cssSelector("#orders li[data-id='" + id + "'][data-status='shipped']"))
                .isEmpty(), () -> "the late page did not show the shipped order");
        assertThat(subscribe(pageB, "alice", "orders:" + id)).isEqualTo("shipped");

        // The polling fallback, for the owner only.
        assertThat(MAPPER.readTree(get("/api/orders/" + id, "alice").body()).path("status").asText()).isEqualTo("shipped");
        assertThat(get("/api/orders/" + id, "bob").statusCode()).isEqualTo(404);
        assertThat(get("/api/orders/" + id, null).statusCode()).isEqualTo(401);
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/orders/" + id))
                .header("Authorization", "Bearer alice").build(), BodyHandlers.ofString()).statusCode())
                .as("a user name is no credential").isEqualTo(401);

        // Nobody else may follow the order.
        open(pageB, "bob");
        assertThat(pageB.driver().findElements(By.cssSelector("#orders li[data-id]"))).isEmpty();
        assertThat(subscribe(pageB, "bob", "orders:" + id)).isEqualTo("forbidden");
    }

    @Test
    void aDeclinedPaymentShowsOnTheOrder() {
        start(1.0);
        open(pageA, "carol");
        pageA.click("#place");
        String failure = pageA.await(d -> (String) pageA.script(
                "const li = document.querySelector('#orders li[data-status=\"failed\"]');"
                        + " return li && li.querySelector('.failure').textContent;"),
                () -> "the order never failed");
        assertThat(failure).contains("declined");
        assertThat(pageA.driver().findElements(By.cssSelector("#orders li[data-step='paid'][data-failed='true']")))
                .hasSize(1);
    }

    @Test
    void theEmitApiFeedsTheDrawerOfTheUsersItNames() throws Exception {
        start(0.0);
        open(pageA, "alice");
        open(pageB, "bob");

        HttpResponse<String> r = emit("""
                {"id":"n-admins","type":"notifications.drawer","roles":["admin"],"organizations":["acme"],
                 "payload":{"title":"Quarterly report","description":"For acme's admins"}}""");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        pageA.await(d -> "1".equals(d.findElement(By.id("unread")).getText()), () -> "alice got no notification");

        // The seed's broadcast, sent twice (a retry): everyone gets it, once.
        String seed = """
                {"id":"message-id","type":"notifications.drawer","broadcast":true,"users":[],"roles":[],\
                "organizations":[],"payload":{"title":"New notification","description":"Some longer body"}}""";
        assertThat(emit(seed).statusCode()).isEqualTo(202);
        assertThat(MAPPER.readTree(emit(seed).body()).path("duplicate").asBoolean()).isTrue();
        pageB.await(d -> "1".equals(d.findElement(By.id("unread")).getText()), () -> "bob got no broadcast");
        pageA.await(d -> "2".equals(d.findElement(By.id("unread")).getText()), () -> "alice got no broadcast");

        pageB.click("#bell");
        assertThat(pageB.find("#drawer").isDisplayed()).isTrue();
        assertThat(titles(pageB)).as("bob is no admin").containsExactly("New notification");
        assertThat(pageB.find("#unread").isDisplayed()).as("read once the drawer opened").isFalse();
        pageA.click("#bell");
        assertThat(titles(pageA)).containsExactly("New notification", "Quarterly report");
    }

    @Test
    void aCommerceOrderCreatedCloudEventShowsEnrichedOnTheCustomersPage() throws Exception {
        start(0.0);
        open(pageA, "alice");
        open(pageB, "bob");

        HttpResponse<String> r = post("/events", "application/json",
                "{\"orderCode\":\"76272727\",\"customerId\":\"alice\",\"entries\":[{\"productId\":\"p-beans\",\"quantity\":2}]}",
                "ce-specversion", "1.0", "ce-id", "evt-1", "ce-source", "/commerce", "ce-type", "order.created");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);

        String card = "#enriched li[data-order-code='76272727']";
        pageA.await(d -> !d.findElements(By.cssSelector(card)).isEmpty(), () -> "no enriched order on alice's page");
        assertThat(pageA.find(card + " .customer").getText()).contains("Alice Andersen").contains("alice@acme.example");
        assertThat(pageA.find(card + " .lines").getText()).contains("Single-origin beans");
        assertThat(pageA.find(card + " .total").getText()).contains("49");
        assertThat(pageB.driver().findElements(By.cssSelector("#enriched li"))).as("bob's page").isEmpty();

        assertThat(post("/events", "application/json", "{\"customerId\":\"mallory\",\"entries\":[]}",
                "ce-specversion", "1.0", "ce-id", "evt-2", "ce-source", "/commerce", "ce-type", "order.created")
                .statusCode()).isEqualTo(400);
        assertThat(post("/events", "application/json", "{}", "ce-specversion", "1.0", "ce-id", "evt-3",
                "ce-source", "/commerce", "ce-type", "order.cancelled").statusCode()).isEqualTo(404);
    }

    @Test
    void aPlainBrowserWebSocketOfferingCloudEventsJsonGetsCloudEvents() throws Exception {
        start(0.0);
        open(pageA, "alice");
        // Seed 002's console snippet, in a real browser: no Switchboard client.
        Object opened = ((JavascriptExecutor) pageA.driver()).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                window.received = [];
                fetch('/demo/login', { method: 'POST', headers: { 'Content-Type': 'application/json' },
                    body: JSON.stringify({ user: 'alice' }) }).then((r) => r.json()).then(({ token }) => {
                  const x = new WebSocket(`ws://${location.host}/ws?access_token=${token}`, 'cloudevents.json');
                  x.onmessage = (m) => window.received.push(JSON.parse(m.data));
                  x.onopen = () => done(x.protocol);
                  x.onerror = () => done('error');
                });
                """);
        assertThat(opened).isEqualTo("cloudevents.json");

        assertThat(emit("{\"id\":\"ce-1\",\"type\":\"notifications.drawer\",\"users\":[\"alice\"],"
                + "\"payload\":{\"title\":\"Hi\"}}").statusCode()).isEqualTo(202);

        @SuppressWarnings("unchecked")
        Map<String, Object> event = pageA.await(d -> (Map<String, Object>) pageA.script(
                "return window.received.length ? window.received[0] : null"), () -> "no CloudEvent on the raw socket");
        assertThat(event).containsEntry("specversion", "1.0").containsEntry("id", "ce-1")
                .containsEntry("type", "notifications.drawer").containsEntry("source", "/shop")
                .containsEntry("datacontenttype", "application/json").containsKey("time");
        assertThat(event.get("data")).isEqualTo(Map.of("title", "Hi"));
    }

    // ---- helpers ---------------------------------------------------------------------------

    private void open(Chromium page, String user) {
        page.open(base + "/?user=" + user);
        page.await(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-live"))
                        && "connected".equals(d.findElement(By.id("status")).getText()),
                () -> "the page never went live; status: " + page.find("#status").getText()
                        + ", notice: " + page.find("#notice").getText());
    }

    /** Subscribes to a topic with a fresh JS client: the first event's status, or the refusal's code. */
    private static String subscribe(Chromium page, String user, String topic) {
        return (String) ((JavascriptExecutor) page.driver()).executeAsyncScript("""
                const [user, topic] = arguments;
                const done = arguments[arguments.length - 1];
                import("/switchboard.js").then(async ({ connect }) => {
                  const login = await fetch("/demo/login", { method: "POST", headers: { "Content-Type": "application/json" },
                      body: JSON.stringify({ user }) }).then((r) => r.json());
                  const sb = await connect(`ws://${location.host}/ws`, { token: login.token, tokenIn: "protocol" });
                  try {
                    await sb.subscribe(topic, (ev) => { done(ev.data.status); sb.close(); });
                  } catch (e) {
                    done(e.code);
                    sb.close();
                  }
                }).catch((e) => done("failed: " + e.message));
                """, user, topic);
    }

    @SuppressWarnings("unchecked")
    private static List<String> titles(Chromium page) {
        return (List<String>) page.script(
                "return [...document.querySelectorAll('#notifications li .title')].map((t) => t.textContent)");
    }

    private HttpResponse<String> emit(String body) throws Exception {
        return post("/api/emit", "application/json", body, "Authorization", "Bearer " + OrdersOptions.DEMO_KEY);
    }

    private HttpResponse<String> get(String path, String user) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (user != null) {
            b.header("Authorization", "Bearer " + token(user));
        }
        return HTTP.send(b.build(), BodyHandlers.ofString());
    }

    /** A demo user's signed token, from the example's demo login. */
    private String token(String user) throws Exception {
        HttpResponse<String> r = post("/demo/login", "application/json", "{\"user\":\"" + user + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return MAPPER.readTree(r.body()).path("token").asText();
    }

    private HttpResponse<String> post(String path, String contentType, String body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", contentType)
                .POST(BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), BodyHandlers.ofString());
    }
}
