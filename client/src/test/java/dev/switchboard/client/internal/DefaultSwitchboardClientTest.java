package dev.switchboard.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.ConnectionClosedException;
import dev.switchboard.ErrorCode;
import dev.switchboard.RequestTimeoutException;
import dev.switchboard.SwitchboardException;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.ClientState;
import dev.switchboard.client.CloseStatus;
import dev.switchboard.client.ServerEvent;
import dev.switchboard.client.SwitchboardClient;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssertAlternative;
import org.junit.jupiter.api.Test;

/**
 * The client's protocol and lifecycle logic against a scripted server: a fake connector and socket, a
 * manual clock, and a direct callback executor, so every step is deterministic and nothing sleeps.
 */
class DefaultSwitchboardClientTest {
    private static final URI URI_WS = URI.create("ws://localhost:1/ws");
    private final ObjectMapper json = new ObjectMapper();
    private final ManualScheduler scheduler = new ManualScheduler();
    private final FakeConnector connector = new FakeConnector();
    private final AtomicBoolean terminated = new AtomicBoolean();
    private final List<String> states = new ArrayList<>();
    private final List<SwitchboardException> errors = new ArrayList<>();
    private DefaultSwitchboardClient client;
    private CompletableFuture<SwitchboardClient> connecting;

    private void start(Consumer<ClientOptions.Builder> customise) {
        ClientOptions.Builder b = ClientOptions.builder(URI_WS).token("tok");
        customise.accept(b);
        client = new DefaultSwitchboardClient(b.build(), connector, scheduler, Runnable::run, () -> 0.5,
                () -> terminated.set(true));
        client.onStateChange((from, to) -> states.add(from + "->" + to));
        client.onError(errors::add);
        connecting = client.start();
    }

    private FakeConnector.Attempt connect() {
        return connect(b -> { });
    }

    private FakeConnector.Attempt connect(Consumer<ClientOptions.Builder> customise) {
        start(customise);
        FakeConnector.Attempt a = connector.next().welcome("c-1");
        assertThat(connecting).isCompletedWithValue(client);
        return a;
    }

    private JsonNode lastSent(FakeConnector.Attempt a) throws IOException {
        List<String> sent = a.socket.sent();
        assertThat(sent).isNotEmpty();
        return json.readTree(sent.get(sent.size() - 1));
    }

    private static ThrowableAssertAlternative<?> assertFailed(CompletableFuture<?> f) {
        return assertThat(f).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class).havingCause();
    }

    // ------------------------------------------------------------ connecting

    @Test
    void connectOffersTokenAndSubProtocolAndCompletesAfterTheWelcome() {
        start(b -> b.header("X-Tenant", "acme"));
        FakeConnector.Attempt a = connector.next();
        assertThat(a.headers).containsEntry("Authorization", "Bearer tok").containsEntry("X-Tenant", "acme");
        assertThat(a.subProtocols).containsExactly("switchboard.v1");
        a.accept();
        assertThat(connecting).isNotDone();
        assertThat(client.state()).isEqualTo(ClientState.CONNECTING);

        a.frame("{\"type\":\"welcome\",\"connectionId\":\"c-7f3a\",\"node\":\"n-1\",\"heartbeatMs\":0,\"maxFrameBytes\":65536}");

        assertThat(connecting).isCompletedWithValue(client);
        assertThat(client.connectionId()).isEqualTo("c-7f3a");
        assertThat(client.nodeId()).isEqualTo("n-1");
        assertThat(client.state()).isEqualTo(ClientState.OPEN);
        assertThat(states).containsExactly("NEW->CONNECTING", "CONNECTING->OPEN");
    }

    @Test
    void aRefusedHandshakeFailsConnectWithTheMatchingCodeAndClosesTheClient() {
        start(b -> { });
        connector.next().refuseWithStatus(401);

        assertFailed(connecting).isInstanceOfSatisfying(SwitchboardException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED));
        assertThat(client.state()).isEqualTo(ClientState.CLOSED);
        assertThat(client.closeFuture()).isCompletedWithValue(
                new CloseStatus(1008, "handshake rejected with HTTP 401"));
        assertThat(terminated).isTrue();
        assertThat(connector.noMoreAttempts()).as("the first connect is not retried").isTrue();
    }

    @Test
    void anUnreachableServerFailsConnectAsUnavailable() {
        start(b -> { });
        connector.next().refuse(new java.net.ConnectException("Connection refused"));
        assertFailed(connecting).isInstanceOfSatisfying(SwitchboardException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
            assertThat(e).hasMessageContaining("Connection refused");
        });
    }

    @Test
    void noWelcomeWithinTheConnectTimeoutAbortsTheAttempt() {
        start(b -> b.connectTimeout(Duration.ofSeconds(2)));
        FakeConnector.Attempt a = connector.next().accept();
        scheduler.advance(Duration.ofMillis(1999));
        assertThat(connecting).isNotDone();

        scheduler.advance(Duration.ofMillis(1));

        assertFailed(connecting).isInstanceOf(ConnectionClosedException.class).withMessageContaining("welcome");
        assertThat(a.socket.aborted).isTrue();
    }

    // ------------------------------------------------------------ frames

    @Test
    void emitWritesAnEmitFrame() throws Exception {
        FakeConnector.Attempt a = connect();
        CompletableFuture<Void> sent = client.emit("chat.send", "hello");
        assertThat(sent).isCompleted();
        assertThat(lastSent(a)).isEqualTo(json.readTree("{\"type\":\"emit\",\"event\":\"chat.send\",\"data\":\"hello\"}"));
    }

    @Test
    void unserialisableDataIsRejectedAtTheCall() {
        connect();
        assertThatThrownBy(() -> client.request("x", new Object())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.emit("x", new Object())).isInstanceOf(IllegalArgumentException.class);
        assertThat(scheduler.pendingDelays()).as("no timer left behind").allMatch(d -> !d.equals(Duration.ofSeconds(10)));
    }

    @Test
    void aRequestCompletesWithTheReplyOfTheSameId() throws Exception {
        FakeConnector.Attempt a = connect();
        CompletableFuture<JsonNode> first = client.request("echo", Map.of("x", 1));
        JsonNode frame = lastSent(a);
        CompletableFuture<JsonNode> second = client.request("echo", Map.of("x", 2));
        assertThat(frame.get("type").asText()).isEqualTo("request");
        assertThat(frame.get("event").asText()).isEqualTo("echo");
        assertThat(frame.get("data")).isEqualTo(json.readTree("{\"x\":1}"));

        a.frame("{\"type\":\"reply\",\"id\":" + lastSent(a).get("id") + ",\"data\":\"two\"}");
        a.frame("{\"type\":\"reply\",\"id\":" + frame.get("id") + ",\"data\":{\"x\":1}}");

        assertThat(first.join()).isEqualTo(json.readTree("{\"x\":1}"));
        assertThat(second.join().asText()).isEqualTo("two");
    }

    @Test
    void anErrorReplyFailsTheRequestWithTheServersCodeAndMessage() throws Exception {
        FakeConnector.Attempt a = connect();
        CompletableFuture<JsonNode> f = client.request("GET", Map.of("collection", "items", "id", "1"));
        a.frame("{\"type\":\"reply\",\"id\":" + lastSent(a).get("id")
                + ",\"error\":{\"code\":\"not_found\",\"message\":\"items/1 does not exist\"}}");
        assertFailed(f).isInstanceOfSatisfying(SwitchboardException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
            assertThat(e).hasMessage("items/1 does not exist");
        });
    }

    @Test
    void aRequestWithoutReplyTimesOut() {
        connect();
        CompletableFuture<JsonNode> byDefault = client.request("slow", null);
        CompletableFuture<JsonNode> custom = client.request("slow", null, Duration.ofMillis(300));
        scheduler.advance(Duration.ofMillis(300));
        assertFailed(custom).isInstanceOf(RequestTimeoutException.class);
        assertThat(byDefault).isNotDone();
        scheduler.advance(Duration.ofSeconds(10));
        assertFailed(byDefault).isInstanceOfSatisfying(RequestTimeoutException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT));
    }

    record Item(String id, int version) {
    }

    @Test
    void aTypedRequestConvertsTheReplyOrFailsAsBadRequest() throws Exception {
        FakeConnector.Attempt a = connect();
        CompletableFuture<Item> ok = client.request("GET", null, Item.class);
        a.frame("{\"type\":\"reply\",\"id\":" + lastSent(a).get("id") + ",\"data\":{\"id\":\"1\",\"version\":3}}");
        assertThat(ok.join()).isEqualTo(new Item("1", 3));

        CompletableFuture<Item> bad = client.request("GET", null, Item.class);
        a.frame("{\"type\":\"reply\",\"id\":" + lastSent(a).get("id") + ",\"data\":[1,2]}");
        assertFailed(bad).isInstanceOfSatisfying(SwitchboardException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
    }

    @Test
    void pingIsAnsweredWithPong() throws Exception {
        FakeConnector.Attempt a = connect();
        a.frame("{\"type\":\"ping\"}");
        assertThat(lastSent(a)).isEqualTo(json.readTree("{\"type\":\"pong\"}"));
    }

    @Test
    void eventsReachTheirListenersWithTheTopic() {
        FakeConnector.Attempt a = connect();
        List<String> raw = new ArrayList<>();
        List<Item> typed = new ArrayList<>();
        var registration = client.on("chat.message", (data, topic) -> raw.add(data.asText() + "@" + topic));
        client.on("item", Item.class, (item, topic) -> typed.add(item));

        a.frame("{\"type\":\"event\",\"event\":\"chat.message\",\"topic\":\"lobby\",\"data\":\"Alice: hi\"}");
        a.frame("{\"type\":\"event\",\"event\":\"chat.message\",\"data\":\"direct\"}");
        a.frame("{\"type\":\"event\",\"event\":\"item\",\"data\":{\"id\":\"9\",\"version\":1}}");
        a.frame("{\"type\":\"event\",\"event\":\"item\",\"data\":\"not an item\"}");
        registration.remove();
        a.frame("{\"type\":\"event\",\"event\":\"chat.message\",\"data\":\"after removal\"}");

        assertThat(raw).containsExactly("Alice: hi@lobby", "direct@null");
        assertThat(typed).containsExactly(new Item("9", 1));
    }

    @Test
    void serverRequestsAreAnsweredByTheirHandlerOrAsUnknownEvent() throws Exception {
        FakeConnector.Attempt a = connect();
        client.onRequest("confirm", data -> Map.of("yes", data.get("question").asText().endsWith("?")));
        client.onRequest("fail", data -> {
            throw new SwitchboardException(ErrorCode.FORBIDDEN, "not you");
        });

        a.frame("{\"type\":\"request\",\"id\":\"s-3\",\"event\":\"confirm\",\"data\":{\"question\":\"Ship now?\"}}");
        assertThat(lastSent(a)).isEqualTo(json.readTree("{\"type\":\"reply\",\"id\":\"s-3\",\"data\":{\"yes\":true}}"));

        a.frame("{\"type\":\"request\",\"id\":\"s-4\",\"event\":\"fail\"}");
        assertThat(lastSent(a)).isEqualTo(json.readTree(
                "{\"type\":\"reply\",\"id\":\"s-4\",\"error\":{\"code\":\"forbidden\",\"message\":\"not you\"}}"));

        a.frame("{\"type\":\"request\",\"id\":5,\"event\":\"nobody\"}");
        JsonNode reply = lastSent(a);
        assertThat(reply.get("id").asInt()).isEqualTo(5);
        assertThat(reply.get("error").get("code").asText()).isEqualTo("unknown_event");
    }

    @Test
    void errorFramesAndUnreadableFramesGoToTheErrorListeners() {
        FakeConnector.Attempt a = connect();
        a.frame("{\"type\":\"error\",\"error\":{\"code\":\"rate_limited\",\"message\":\"slow down\"}}");
        a.frame("this is not json");
        assertThat(errors).extracting(SwitchboardException::code)
                .containsExactly(ErrorCode.RATE_LIMITED, ErrorCode.BAD_REQUEST);
        assertThat(client.state()).isEqualTo(ClientState.OPEN);
    }

    @Test
    void sendsNeverOverlapAndKeepCallOrder() throws Exception {
        FakeConnector.Attempt a = connect();
        a.socket.holdSends(true);
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sends.add(client.emit("n", i));
        }
        assertThat(sends.get(1)).isNotDone();
        a.socket.completeSends();
        assertThat(a.socket.overlapped).isFalse();
        assertThat(sends).allMatch(CompletableFuture::isDone);
        assertThat(a.socket.sent()).hasSize(5);
        assertThat(json.readTree(a.socket.sent().get(4)).get("data").asInt()).isEqualTo(4);
    }

    // ------------------------------------------------------------ subscriptions

    @Test
    void subscribeCompletesWithTheReplyAndDeliversTheTopicsEvents() throws Exception {
        FakeConnector.Attempt a = connect();
        List<ServerEvent> received = new ArrayList<>();
        CompletableFuture<JsonNode> f = client.subscribe("collection:items", received::add);
        JsonNode frame = lastSent(a);
        assertThat(frame.get("type").asText()).isEqualTo("subscribe");
        assertThat(frame.get("topic").asText()).isEqualTo("collection:items");
        assertThat(frame.has("since")).isFalse();

        a.frame("{\"type\":\"reply\",\"id\":" + frame.get("id")
                + ",\"data\":{\"topic\":\"collection:items\",\"epoch\":\"9f2c\",\"offset\":41,\"recovered\":false}}");
        a.frame("{\"type\":\"event\",\"event\":\"ADDED\",\"topic\":\"collection:items\",\"offset\":42,\"data\":{\"id\":\"1\"}}");
        a.frame("{\"type\":\"event\",\"event\":\"ADDED\",\"topic\":\"elsewhere\",\"data\":{}}");

        assertThat(f.join().get("offset").asLong()).isEqualTo(41);
        assertThat(received).containsExactly(new ServerEvent("ADDED", "collection:items", 42L, json.readTree("{\"id\":\"1\"}")));
        assertThat(client.subscriptions()).containsExactly("collection:items");
    }

    @Test
    void aDeniedSubscribeFailsAndIsForgotten() throws Exception {
        FakeConnector.Attempt a = connect();
        CompletableFuture<JsonNode> f = client.subscribe("secret", e -> { });
        a.frame("{\"type\":\"reply\",\"id\":" + lastSent(a).get("id")
                + ",\"error\":{\"code\":\"forbidden\",\"message\":\"not allowed\"}}");
        assertFailed(f).isInstanceOfSatisfying(SwitchboardException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
        assertThat(client.subscriptions()).isEmpty();
    }

    @Test
    void unsubscribeTellsTheServerAndStopsTheTopicsDelivery() throws Exception {
        FakeConnector.Attempt a = connect();
        List<ServerEvent> received = new ArrayList<>();
        client.subscribe("lobby", received::add);
        a.frame("{\"type\":\"reply\",\"id\":" + lastSent(a).get("id") + ",\"data\":{\"topic\":\"lobby\"}}");

        CompletableFuture<JsonNode> f = client.unsubscribe("lobby");
        JsonNode frame = lastSent(a);
        assertThat(frame.get("type").asText()).isEqualTo("unsubscribe");
        assertThat(frame.get("topic").asText()).isEqualTo("lobby");
        a.frame("{\"type\":\"reply\",\"id\":" + frame.get("id") + ",\"data\":true}");
        a.frame("{\"type\":\"event\",\"event\":\"x\",\"topic\":\"lobby\",\"data\":1}");

        assertThat(f.join().asBoolean()).isTrue();
        assertThat(received).isEmpty();
        assertThat(client.subscriptions()).isEmpty();
    }

    // ------------------------------------------------------------ reconnect

    @Test
    void aLostConnectionFailsInFlightRequestsQueuesNewOnesAndReconnectsAfterTheBackoff() throws Exception {
        FakeConnector.Attempt a = connect();
        CompletableFuture<JsonNode> inFlight = client.request("echo", 1);

        a.close(1001, "server shutting down");

        assertFailed(inFlight).isInstanceOf(ConnectionClosedException.class);
        assertThat(client.state()).isEqualTo(ClientState.RECONNECTING);
        CompletableFuture<JsonNode> queued = client.request("echo", 2);
        CompletableFuture<Void> queuedEmit = client.emit("chat.send", "while away");
        assertThat(scheduler.pendingDelays()).contains(Duration.ofMillis(125)); // 0.5 × 250 ms
        scheduler.advance(Duration.ofMillis(124));
        assertThat(connector.noMoreAttempts()).isTrue();

        scheduler.advance(Duration.ofMillis(1));
        FakeConnector.Attempt b = connector.next().welcome("c-2");

        assertThat(client.state()).isEqualTo(ClientState.OPEN);
        assertThat(client.connectionId()).isEqualTo("c-2");
        assertThat(b.socket.sent()).hasSize(2);
        JsonNode request = json.readTree(b.socket.sent().get(0));
        assertThat(request.get("data").asInt()).isEqualTo(2);
        assertThat(queuedEmit).isCompleted();
        b.frame("{\"type\":\"reply\",\"id\":" + request.get("id") + ",\"data\":\"two\"}");
        assertThat(queued.join().asText()).isEqualTo("two");
        assertThat(states).containsExactly("NEW->CONNECTING", "CONNECTING->OPEN", "OPEN->RECONNECTING", "RECONNECTING->OPEN");
    }

    @Test
    void emitsAndRequestsCarryTheTraceContextTheSupplierGives() throws Exception {
        String tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        FakeConnector.Attempt a = connect(b -> b.traceContext(() -> dev.switchboard.TraceContext.current().orElse(null)));

        dev.switchboard.TraceContext.runWith(dev.switchboard.TraceContext.parse(tp, "congo=t61rcWkgMzE").orElseThrow(),
                () -> client.emit("chat.send", "hi"));
        JsonNode emit = lastSent(a);
        assertThat(emit.path("traceparent").asText()).isEqualTo(tp);
        assertThat(emit.path("tracestate").asText()).isEqualTo("congo=t61rcWkgMzE");

        client.request("echo", 1);
        assertThat(lastSent(a).has("traceparent")).as("no trace current: none sent").isFalse();
    }

    @Test
    void aServiceRestartCloseReconnectsAfterADelayDrawnFromTheRestartDelay() {
        FakeConnector.Attempt a = connect(b -> b.restartDelay(Duration.ofSeconds(4)));

        a.close(1012, "service restart");

        assertThat(client.state()).isEqualTo(ClientState.RECONNECTING);
        assertThat(scheduler.pendingDelays()).contains(Duration.ofSeconds(2)); // 0.5 × 4 s, not the backoff
        scheduler.advance(Duration.ofMillis(1999));
        assertThat(connector.noMoreAttempts()).isTrue();
        scheduler.advance(Duration.ofMillis(1));
        connector.next().welcome("c-2");
        assertThat(client.state()).isEqualTo(ClientState.OPEN);
    }

    @Test
    void afterAReconnectTopicsAreResubscribedWithSinceBeforeQueuedFramesAreSent() throws Exception {
        FakeConnector.Attempt a = connect();
        List<ServerEvent> received = new ArrayList<>();
        client.subscribe("collection:items", received::add);
        a.frame("{\"type\":\"reply\",\"id\":" + lastSent(a).get("id")
                + ",\"data\":{\"topic\":\"collection:items\",\"epoch\":\"e1\",\"offset\":5,\"recovered\":false}}");
        client.subscribe("lobby");
        a.frame("{\"type\":\"reply\",\"id\":" + lastSent(a).get("id") + ",\"data\":{\"topic\":\"lobby\"}}");
        a.frame("{\"type\":\"event\",\"event\":\"ADDED\",\"topic\":\"collection:items\",\"offset\":7,\"data\":{}}");

        a.fail(new IOException("connection reset"));
        CompletableFuture<JsonNode> queued = client.request("after", null);
        scheduler.advance(Duration.ofSeconds(1));
        FakeConnector.Attempt b = connector.next().welcome("c-2");

        List<JsonNode> sent = new ArrayList<>();
        for (String s : b.socket.sent()) {
            sent.add(json.readTree(s));
        }
        assertThat(sent).extracting(f -> f.get("type").asText()).containsExactly("subscribe", "subscribe");
        JsonNode items = sent.stream().filter(f -> f.get("topic").asText().equals("collection:items")).findFirst().orElseThrow();
        assertThat(items.get("since")).isEqualTo(json.readTree("{\"offset\":7,\"epoch\":\"e1\"}"));
        JsonNode lobby = sent.stream().filter(f -> f.get("topic").asText().equals("lobby")).findFirst().orElseThrow();
        assertThat(lobby.has("since")).isFalse();
        assertThat(client.state()).as("open only once re-subscribed").isEqualTo(ClientState.RECONNECTING);

        b.frame("{\"type\":\"reply\",\"id\":" + items.get("id") + ",\"data\":{\"recovered\":true,\"epoch\":\"e1\",\"offset\":8}}");
        b.frame("{\"type\":\"reply\",\"id\":" + lobby.get("id") + ",\"data\":{\"topic\":\"lobby\"}}");
        b.frame("{\"type\":\"event\",\"event\":\"ADDED\",\"topic\":\"collection:items\",\"offset\":8,\"data\":{}}");

        assertThat(client.state()).isEqualTo(ClientState.OPEN);
        assertThat(json.readTree(b.socket.sent().get(2)).get("event").asText()).isEqualTo("after");
        assertThat(queued).isNotDone();
        assertThat(received).extracting(ServerEvent::offset).containsExactly(7L, 8L);
    }

    @Test
    void aTopicRefusedOnResubscribeIsReportedAndDropped() throws Exception {
        FakeConnector.Attempt a = connect();
        client.subscribe("vip");
        a.frame("{\"type\":\"reply\",\"id\":" + lastSent(a).get("id") + ",\"data\":{\"topic\":\"vip\"}}");
        a.close(1011, "oops");
        scheduler.advance(Duration.ofSeconds(1));
        FakeConnector.Attempt b = connector.next().welcome("c-2");
        b.frame("{\"type\":\"reply\",\"id\":" + lastSent(b).get("id")
                + ",\"error\":{\"code\":\"forbidden\",\"message\":\"no longer\"}}");

        assertThat(client.state()).isEqualTo(ClientState.OPEN);
        assertThat(client.subscriptions()).isEmpty();
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(e).hasMessageContaining("vip");
        });
    }

    @Test
    void failedAttemptsBackOffExponentiallyWithJitter() {
        FakeConnector.Attempt a = connect();
        a.close(1006, "");
        assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofMillis(125));
        for (long expected : new long[] {250, 500, 1000, 2000, 4000, 5000, 5000}) {
            scheduler.advance(scheduler.pendingDelays().get(0));
            connector.next().refuseWithStatus(503);
            assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofMillis(expected));
        }
        assertThat(client.state()).isEqualTo(ClientState.RECONNECTING);
    }

    @Test
    void aPolicyCloseIsFinal() {
        FakeConnector.Attempt a = connect();
        CompletableFuture<JsonNode> pending = client.request("x", null);
        a.close(1008, "rate limited");

        assertThat(client.state()).isEqualTo(ClientState.CLOSED);
        assertThat(client.closeFuture()).isCompletedWithValue(new CloseStatus(1008, "rate limited"));
        assertFailed(pending).isInstanceOf(ConnectionClosedException.class);
        assertThat(scheduler.pendingDelays()).isEmpty();
        assertThat(terminated).isTrue();
        assertFailed(client.request("y", null)).isInstanceOf(ConnectionClosedException.class);
    }

    @Test
    void aNormalCloseByTheServerIsFinal() {
        FakeConnector.Attempt a = connect();
        a.close(1000, "bye");
        assertThat(client.state()).isEqualTo(ClientState.CLOSED);
        assertThat(client.closeFuture()).isCompletedWithValue(new CloseStatus(1000, "bye"));
    }

    @Test
    void aHandshakeRefusedWith403WhileReconnectingIsFinal() {
        FakeConnector.Attempt a = connect();
        a.close(1001, "restart");
        CompletableFuture<JsonNode> queued = client.request("x", null);
        scheduler.advance(Duration.ofSeconds(1));
        connector.next().refuseWithStatus(403);

        assertThat(client.state()).isEqualTo(ClientState.CLOSED);
        assertThat(client.closeFuture()).isCompletedWithValue(new CloseStatus(1008, "handshake rejected with HTTP 403"));
        assertFailed(queued).isInstanceOf(ConnectionClosedException.class);
        assertThat(states).endsWith("RECONNECTING->CLOSED");
    }

    @Test
    void theClientGivesUpAfterMaxReconnectAttempts() {
        FakeConnector.Attempt a = connect(b -> b.maxReconnectAttempts(2));
        a.close(1006, "");
        scheduler.advance(Duration.ofSeconds(1));
        connector.next().refuse(new IOException("refused"));
        assertThat(client.state()).isEqualTo(ClientState.RECONNECTING);
        scheduler.advance(Duration.ofSeconds(1));
        connector.next().refuse(new IOException("refused"));
        assertThat(client.state()).isEqualTo(ClientState.CLOSED);
        assertThat(client.closeFuture()).isDone();
    }

    @Test
    void withoutReconnectALostConnectionClosesTheClient() {
        FakeConnector.Attempt a = connect(b -> b.reconnect(false));
        a.fail(new IOException("reset"));
        assertThat(client.state()).isEqualTo(ClientState.CLOSED);
        assertThat(client.closeFuture()).isCompletedWithValue(new CloseStatus(1006, "reset"));
    }

    @Test
    void aRequestQueuedWhileReconnectingStillTimesOut() {
        FakeConnector.Attempt a = connect();
        a.close(1001, "");
        CompletableFuture<JsonNode> queued = client.request("x", null, Duration.ofMillis(100));
        scheduler.advance(Duration.ofMillis(100));
        assertFailed(queued).isInstanceOf(RequestTimeoutException.class);

        scheduler.advance(Duration.ofSeconds(1));
        FakeConnector.Attempt b = connector.next().welcome("c-2");
        assertThat(b.socket.sent()).as("timed-out requests are not sent").isEmpty();
    }

    @Test
    void theReconnectQueueIsBounded() {
        FakeConnector.Attempt a = connect(b -> b.maxQueuedFrames(1));
        a.close(1001, "");
        CompletableFuture<JsonNode> first = client.request("x", null);
        CompletableFuture<JsonNode> second = client.request("y", null);
        assertThat(first).isNotDone();
        assertFailed(second).isInstanceOf(ConnectionClosedException.class).withMessageContaining("queue");
    }

    @Test
    void silenceForTwoAndAHalfHeartbeatsCountsAsALostConnection() {
        start(b -> { });
        FakeConnector.Attempt a = connector.next().accept();
        a.frame("{\"type\":\"welcome\",\"connectionId\":\"c-1\",\"node\":\"n-1\",\"heartbeatMs\":1000,\"maxFrameBytes\":1}");
        for (int i = 0; i < 5; i++) {
            scheduler.advance(Duration.ofMillis(1000));
            a.frame("{\"type\":\"ping\"}");
        }
        assertThat(client.state()).isEqualTo(ClientState.OPEN);

        scheduler.advance(Duration.ofMillis(3000));

        assertThat(a.socket.aborted).isTrue();
        assertThat(client.state()).isEqualTo(ClientState.RECONNECTING);
    }

    // ------------------------------------------------------------ closing

    @Test
    void closeFailsPendingWorkSendsTheCloseFrameAndCompletesOnTheEcho() {
        FakeConnector.Attempt a = connect();
        CompletableFuture<JsonNode> pending = client.request("x", null);

        client.close();

        assertThat(client.state()).isEqualTo(ClientState.CLOSED);
        assertFailed(pending).isInstanceOf(ConnectionClosedException.class);
        assertThat(a.socket.closeCodes).containsExactly(1000);
        assertThat(client.closeFuture()).isNotDone();
        a.frame("{\"type\":\"event\",\"event\":\"late\",\"data\":1}"); // ignored after close
        a.close(1000, "");
        assertThat(client.closeFuture()).isCompletedWithValue(new CloseStatus(1000, ""));
        assertThat(terminated).isTrue();
        assertThat(states).endsWith("OPEN->CLOSED");
        client.close(); // idempotent
        assertFailed(client.emit("x", 1)).isInstanceOf(ConnectionClosedException.class);
    }

    @Test
    void closeDropsTheConnectionWhenTheServerNeverAnswers() {
        FakeConnector.Attempt a = connect(b -> b.closeTimeout(Duration.ofSeconds(2)));
        client.close(4000, "done");
        scheduler.advance(Duration.ofSeconds(2));
        assertThat(a.socket.aborted).isTrue();
        assertThat(client.closeFuture()).isCompletedWithValue(new CloseStatus(4000, "done"));
    }

    @Test
    void closeWhileReconnectingEndsAtOnce() {
        FakeConnector.Attempt a = connect();
        a.close(1001, "");
        client.close();
        assertThat(client.closeFuture()).isCompletedWithValue(new CloseStatus(1000, ""));
        scheduler.advance(Duration.ofMinutes(1));
        assertThat(connector.noMoreAttempts()).isTrue();
    }

    @Test
    void closeRejectsReservedCodes() {
        connect();
        assertThatThrownBy(() -> client.close(1006, "")).isInstanceOf(IllegalArgumentException.class);
    }
}
