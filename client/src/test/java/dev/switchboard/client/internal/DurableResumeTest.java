package dev.switchboard.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.StreamPosition;
import dev.switchboard.client.ClientOptions;
import dev.switchboard.client.ClientState;
import dev.switchboard.client.SubscribeOptions;
import dev.switchboard.client.SubscribeResult;
import dev.switchboard.client.SwitchboardClient;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Durable topics against a scripted server: the position a subscription remembers (from replies and
 * events), {@code since} on re-subscribe and on an explicit subscribe, duplicates dropped, and the
 * {@code recovered} outcome reported. The callback executor is direct, so {@link #log} shows the exact
 * order in which the application sees outcomes and events.
 */
class DurableResumeTest {
    private final ObjectMapper json = new ObjectMapper();
    private final ManualScheduler scheduler = new ManualScheduler();
    private final FakeConnector connector = new FakeConnector();
    private final List<String> log = new ArrayList<>();
    private DefaultSwitchboardClient client;
    private FakeConnector.Attempt server;

    @BeforeEach
    void connect() {
        client = new DefaultSwitchboardClient(ClientOptions.builder(URI.create("ws://localhost:1/ws")).build(),
                connector, scheduler, Runnable::run, () -> 0.5, () -> { });
        CompletableFuture<SwitchboardClient> connecting = client.start();
        server = connector.next().welcome("c-1");
        assertThat(connecting).isCompletedWithValue(client);
        client.on("ADDED", (data, topic) -> log.add("on:" + data.get("n").asInt()));
        client.onResubscribe(r -> log.add("client:" + r.topic() + ":" + r.recovered() + ":" + r.position()));
    }

    private JsonNode lastSent(FakeConnector.Attempt a) throws IOException {
        List<String> sent = a.socket.sent();
        return json.readTree(sent.get(sent.size() - 1));
    }

    private List<JsonNode> sent(FakeConnector.Attempt a) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String s : a.socket.sent()) {
            out.add(json.readTree(s));
        }
        return out;
    }

    private static void reply(FakeConnector.Attempt a, JsonNode request, String data) {
        a.frame("{\"type\":\"reply\",\"id\":" + request.get("id") + ",\"data\":" + data + "}");
    }

    private static void event(FakeConnector.Attempt a, String topic, long offset) {
        a.frame("{\"type\":\"event\",\"event\":\"ADDED\",\"topic\":\"" + topic + "\",\"offset\":" + offset
                + ",\"data\":{\"n\":" + offset + "}}");
    }

    /** Subscribes {@code items} with options; every event goes to the log as {@code items:<offset>}. */
    private CompletableFuture<SubscribeResult> subscribeItems(SubscribeOptions options) {
        return client.subscribe("items", e -> log.add("items:" + e.offset()), options);
    }

    /** Drops the connection and welcomes the next attempt. */
    private FakeConnector.Attempt reconnect() {
        server.fail(new IOException("connection reset"));
        scheduler.advance(Duration.ofSeconds(1));
        server = connector.next().welcome("c-2");
        return server;
    }

    @Test
    void theSubscribeResultCarriesThePositionAndEventsAdvanceItDroppingDuplicates() throws Exception {
        CompletableFuture<SubscribeResult> f = subscribeItems(SubscribeOptions.defaults());
        JsonNode frame = lastSent(server);
        assertThat(frame.has("since")).isFalse();
        assertThat(client.position("items")).isEmpty();

        reply(server, frame, "{\"topic\":\"items\",\"epoch\":\"e1\",\"offset\":41,\"recovered\":false}");
        assertThat(f.join()).isEqualTo(new SubscribeResult("items", new StreamPosition("e1", 41), false));
        assertThat(f.join().durable()).isTrue();
        assertThat(client.position("items")).contains(new StreamPosition("e1", 41));

        event(server, "items", 41); // a last-value topic's latest message, right after the reply
        event(server, "items", 42);
        event(server, "items", 42); // duplicate
        event(server, "items", 43);

        assertThat(log).containsExactly("on:41", "items:41", "on:42", "items:42", "on:43", "items:43");
        assertThat(client.position("items")).contains(new StreamPosition("e1", 43));
    }

    @Test
    void aReconnectResubscribesFromTheLastEventAndReportsARecoveryBeforeTheReplay() throws Exception {
        subscribeItems(SubscribeOptions.builder()
                .onResubscribe(r -> log.add("topic:" + r.recovered())).build());
        reply(server, lastSent(server), "{\"topic\":\"items\",\"epoch\":\"e1\",\"offset\":5,\"recovered\":false}");
        client.subscribe("lobby");
        reply(server, lastSent(server), "{\"topic\":\"lobby\",\"epoch\":null,\"offset\":null,\"recovered\":false}");
        event(server, "items", 6);
        event(server, "items", 7);
        log.clear();

        FakeConnector.Attempt b = reconnect();

        List<JsonNode> frames = sent(b);
        JsonNode items = frames.stream().filter(f -> f.get("topic").asText().equals("items")).findFirst().orElseThrow();
        JsonNode lobby = frames.stream().filter(f -> f.get("topic").asText().equals("lobby")).findFirst().orElseThrow();
        assertThat(items.get("since")).isEqualTo(json.readTree("{\"offset\":7,\"epoch\":\"e1\"}"));
        assertThat(lobby.has("since")).as("not durable").isFalse();

        reply(b, items, "{\"topic\":\"items\",\"epoch\":\"e1\",\"offset\":9,\"recovered\":true}");
        assertThat(client.position("items")).as("the replay moves it").contains(new StreamPosition("e1", 7));
        event(b, "items", 7); // the server repeating the last delivered event: dropped
        event(b, "items", 8);
        event(b, "items", 9);
        reply(b, lobby, "{\"topic\":\"lobby\",\"epoch\":null,\"offset\":null,\"recovered\":false}");
        event(b, "items", 10);

        assertThat(log).containsExactly(
                "topic:true", "client:items:true:StreamPosition[epoch=e1, offset=9]",
                "on:8", "items:8", "on:9", "items:9",
                "client:lobby:false:null",
                "on:10", "items:10");
        assertThat(client.position("items")).contains(new StreamPosition("e1", 10));
        assertThat(client.position("lobby")).isEmpty();
        assertThat(client.state()).isEqualTo(ClientState.OPEN);
    }

    @Test
    void anUnrecoveredResubscribeIsReportedAndContinuesFromTheServersLatestOffset() throws Exception {
        List<SubscribeResult> outcomes = new ArrayList<>();
        subscribeItems(SubscribeOptions.builder().onResubscribe(outcomes::add).build());
        reply(server, lastSent(server), "{\"topic\":\"items\",\"epoch\":\"e1\",\"offset\":3,\"recovered\":false}");
        event(server, "items", 4);
        log.clear();

        FakeConnector.Attempt b = reconnect();
        JsonNode again = lastSent(b);
        assertThat(again.get("since")).isEqualTo(json.readTree("{\"offset\":4,\"epoch\":\"e1\"}"));
        reply(b, again, "{\"topic\":\"items\",\"epoch\":\"e1\",\"offset\":120,\"recovered\":false}");
        event(b, "items", 120); // a last-value topic's message: new to this client
        event(b, "items", 121);

        SubscribeResult expected = new SubscribeResult("items", new StreamPosition("e1", 120), false);
        assertThat(outcomes).containsExactly(expected);
        assertThat(log).containsExactly("client:items:false:" + expected.position(),
                "on:120", "items:120", "on:121", "items:121");
        assertThat(client.position("items")).contains(new StreamPosition("e1", 121));
    }

    @Test
    void anEpochChangeRestartsTheOffsetsAndIsReportedAsNotRecovered() throws Exception {
        subscribeItems(SubscribeOptions.defaults());
        reply(server, lastSent(server), "{\"topic\":\"items\",\"epoch\":\"e1\",\"offset\":5,\"recovered\":false}");
        event(server, "items", 6);
        event(server, "items", 7);
        log.clear();

        FakeConnector.Attempt b = reconnect();
        JsonNode again = lastSent(b);
        assertThat(again.get("since")).isEqualTo(json.readTree("{\"offset\":7,\"epoch\":\"e1\"}"));
        reply(b, again, "{\"topic\":\"items\",\"epoch\":\"e2\",\"offset\":2,\"recovered\":false}");
        assertThat(client.position("items")).contains(new StreamPosition("e2", 2));
        event(b, "items", 3); // below the old epoch's 7, yet new
        event(b, "items", 3);

        assertThat(log).containsExactly("client:items:false:StreamPosition[epoch=e2, offset=2]", "on:3", "items:3");

        FakeConnector.Attempt c = reconnect();
        assertThat(lastSent(c).get("since")).isEqualTo(json.readTree("{\"offset\":3,\"epoch\":\"e2\"}"));
    }

    @Test
    void anExplicitSinceIsSentAndItsRecoveryReportedInTheResult() throws Exception {
        CompletableFuture<SubscribeResult> f = subscribeItems(
                SubscribeOptions.builder().since(new StreamPosition("9f2c", 41)).build());
        JsonNode frame = lastSent(server);
        assertThat(frame).isEqualTo(json.readTree("{\"type\":\"subscribe\",\"id\":" + frame.get("id")
                + ",\"topic\":\"items\",\"since\":{\"offset\":41,\"epoch\":\"9f2c\"}}"));
        assertThat(client.position("items")).as("before the reply").contains(new StreamPosition("9f2c", 41));

        reply(server, frame, "{\"topic\":\"items\",\"epoch\":\"9f2c\",\"offset\":43,\"recovered\":true}");
        event(server, "items", 41);
        event(server, "items", 42);
        event(server, "items", 43);

        assertThat(f.join()).isEqualTo(new SubscribeResult("items", new StreamPosition("9f2c", 43), true));
        assertThat(log).containsExactly("on:42", "items:42", "on:43", "items:43");
        assertThat(client.position("items")).contains(new StreamPosition("9f2c", 43));
        assertThat(log).as("a first subscribe is not a re-subscription").noneMatch(s -> s.startsWith("client:"));
    }

    @Test
    void anExplicitSinceOfAnotherEpochIsNotRecovered() throws Exception {
        CompletableFuture<SubscribeResult> f = subscribeItems(
                SubscribeOptions.builder().since(new StreamPosition("old", 900)).build());
        reply(server, lastSent(server), "{\"topic\":\"items\",\"epoch\":\"new\",\"offset\":4,\"recovered\":false}");
        event(server, "items", 5);

        assertThat(f.join()).isEqualTo(new SubscribeResult("items", new StreamPosition("new", 4), false));
        assertThat(log).containsExactly("on:5", "items:5");
        assertThat(client.position("items")).contains(new StreamPosition("new", 5));
    }

    @Test
    void aSinceForATopicAlreadySubscribedIsIgnored() throws Exception {
        subscribeItems(SubscribeOptions.defaults());
        reply(server, lastSent(server), "{\"topic\":\"items\",\"epoch\":\"e1\",\"offset\":5,\"recovered\":false}");
        event(server, "items", 6);

        CompletableFuture<SubscribeResult> second = client.subscribe("items",
                SubscribeOptions.builder().since(new StreamPosition("e1", 1)).build());
        JsonNode frame = lastSent(server);
        assertThat(frame.has("since")).isFalse();
        reply(server, frame, "{\"topic\":\"items\",\"epoch\":\"e1\",\"offset\":6,\"recovered\":false}");

        assertThat(second.join().recovered()).isFalse();
        assertThat(client.position("items")).contains(new StreamPosition("e1", 6));
    }

    @Test
    void theJsonSubscribeStillCompletesWithTheRawReplyAndTracksThePosition() throws Exception {
        CompletableFuture<JsonNode> f = client.subscribe("items");
        reply(server, lastSent(server), "{\"topic\":\"items\",\"epoch\":\"e1\",\"offset\":2,\"recovered\":false}");
        assertThat(f.join().get("epoch").asText()).isEqualTo("e1");
        event(server, "items", 3);
        assertThat(client.position("items")).contains(new StreamPosition("e1", 3));
    }

    @Test
    void aReplayInterruptedByAnotherDropResumesFromTheLastReplayedEvent() throws Exception {
        subscribeItems(SubscribeOptions.defaults());
        reply(server, lastSent(server), "{\"topic\":\"items\",\"epoch\":\"e1\",\"offset\":10,\"recovered\":false}");

        FakeConnector.Attempt b = reconnect();
        reply(b, lastSent(b), "{\"topic\":\"items\",\"epoch\":\"e1\",\"offset\":20,\"recovered\":true}");
        event(b, "items", 11);
        event(b, "items", 12);

        FakeConnector.Attempt c = reconnect();
        assertThat(lastSent(c).get("since")).isEqualTo(json.readTree("{\"offset\":12,\"epoch\":\"e1\"}"));
    }

    @Test
    void thePositionOutlivesCloseButNotUnsubscribe() throws Exception {
        subscribeItems(SubscribeOptions.defaults());
        reply(server, lastSent(server), "{\"topic\":\"items\",\"epoch\":\"e1\",\"offset\":8,\"recovered\":false}");
        client.subscribe("other");
        reply(server, lastSent(server), "{\"topic\":\"other\",\"epoch\":\"x\",\"offset\":1,\"recovered\":false}");

        client.unsubscribe("other");
        client.close();

        assertThat(client.position("items")).contains(new StreamPosition("e1", 8));
        assertThat(client.position("other")).isEqualTo(Optional.empty());
        assertThat(client.position("never")).isEmpty();
    }

    @Test
    void aRefusedSubscribeTakesItsResubscribeListenerAlong() throws Exception {
        subscribeItems(SubscribeOptions.defaults());
        reply(server, lastSent(server), "{\"topic\":\"items\",\"epoch\":\"e1\",\"offset\":1,\"recovered\":false}");
        List<SubscribeResult> refusedOnes = new ArrayList<>();
        client.subscribe("items", SubscribeOptions.builder().onResubscribe(refusedOnes::add).build());
        server.frame("{\"type\":\"reply\",\"id\":" + lastSent(server).get("id")
                + ",\"error\":{\"code\":\"forbidden\",\"message\":\"no\"}}");

        FakeConnector.Attempt b = reconnect();
        reply(b, lastSent(b), "{\"topic\":\"items\",\"epoch\":\"e1\",\"offset\":1,\"recovered\":true}");

        assertThat(refusedOnes).isEmpty();
        assertThat(log).contains("client:items:true:StreamPosition[epoch=e1, offset=1]");
    }
}
