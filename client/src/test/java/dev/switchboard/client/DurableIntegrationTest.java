package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Audience;
import dev.switchboard.Retention;
import dev.switchboard.StreamPosition;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardOptions;
import dev.switchboard.backplane.InMemoryBackplane;
import dev.switchboard.spi.SubscriptionPolicy;
import dev.switchboard.transport.jetty.JettyTransport;
import dev.switchboard.transport.jetty.JettyTransportOptions;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Durable topics end to end: real Jetty, the real Java client, nodes on one backplane. A client that
 * loses its node resumes on another node from the last event it delivered, with no gap and no
 * duplicate, and is told whether it was recovered.
 */
class DurableIntegrationTest {
    private static final Duration WAIT = RecordingClient.WAIT;
    private final InMemoryBackplane.Bus bus = InMemoryBackplane.bus();
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private Switchboard node(String id) {
        Switchboard n = Switchboard.builder()
                .options(SwitchboardOptions.builder().nodeId(id).clusterHeartbeat(Duration.ofMillis(200)).build())
                .backplane(bus.backplane())
                .subscriptionPolicy(SubscriptionPolicy.allowAll())
                .build();
        n.durableTopic("orders:*", Retention.lastMessages(100));
        n.durableTopic("price", Retention.lastValue());
        resources.add(n);
        return n;
    }

    private JettyTransport serve(Switchboard node, int port) {
        JettyTransport t = JettyTransport.start(node, JettyTransportOptions.builder().host("127.0.0.1").port(port)
                .stopTimeout(Duration.ofMillis(500)).build());
        resources.add(t);
        return t;
    }

    private static ClientOptions options(int port) {
        return ClientOptions.builder(URI.create("ws://127.0.0.1:" + port + "/ws"))
                .backoff(Duration.ofMillis(50), Duration.ofMillis(200), 2.0)
                .requestTimeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void aClientResumesOnAnotherNodeWithNoGapAndNoDuplicate() throws Exception {
        Switchboard a = node("node-a");
        Switchboard b = node("node-b");
        JettyTransport onA = serve(a, 0);
        int port = onA.port();
        BlockingQueue<SubscribeResult> resubscribed = new LinkedBlockingQueue<>();
        try (RecordingClient c = RecordingClient.connect(options(port), "status")) {
            SubscribeResult first = c.client.subscribe("orders:42",
                    SubscribeOptions.builder().onResubscribe(resubscribed::add).build()).join();
            assertThat(first.durable()).isTrue();
            assertThat(first.position().offset()).isZero();
            for (String s : List.of("paid", "packed")) {
                b.to(Audience.topic("orders:42")).emit("status", s);
            }
            c.assertEvent("status", "paid");
            c.assertEvent("status", "packed");
            StreamPosition before = c.client.position("orders:42").orElseThrow();
            assertThat(before.offset()).isEqualTo(2);

            // Node A goes away; node B publishes meanwhile; node C takes A's address.
            onA.close();
            a.close();
            c.assertState(ClientState.RECONNECTING);
            b.to(Audience.topic("orders:42")).emit("status", "shipped");
            b.to(Audience.topic("orders:42")).emit("status", "delivered");
            Switchboard replacement = node("node-c");
            serve(replacement, port);
            c.assertState(ClientState.OPEN);

            SubscribeResult again = resubscribed.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(again).isNotNull();
            assertThat(again.recovered()).isTrue();
            assertThat(again.position().epoch()).isEqualTo(before.epoch());
            c.assertEvent("status", "shipped");
            c.assertEvent("status", "delivered");
            b.to(Audience.topic("orders:42")).emit("status", "signed");
            c.assertEvent("status", "signed");
            c.assertExhausted();
            assertThat(c.client.position("orders:42")).contains(new StreamPosition(before.epoch(), 5));
        }
    }

    @Test
    void aSavedPositionBeyondTheHistoryIsReportedAsNotRecoveredThenLiveEventsFlow() {
        Switchboard a = node("node-a");
        JettyTransport t = serve(a, 0);
        a.to(Audience.topic("orders:7")).emit("status", "paid");
        try (RecordingClient c = RecordingClient.connect(options(t.port()), "status")) {
            SubscribeResult r = c.client.subscribe("orders:7",
                    SubscribeOptions.builder().since(new StreamPosition("an-old-epoch", 1)).build()).join();
            assertThat(r.recovered()).isFalse();
            assertThat(r.position().offset()).isEqualTo(1);
            a.to(Audience.topic("orders:7")).emit("status", "packed");
            c.assertEvent("status", "packed");
            c.assertExhausted();
        }
    }

    @Test
    void aLateSubscriberOfALastValueTopicGetsTheLatestValueFirst() {
        Switchboard a = node("node-a");
        JettyTransport t = serve(a, 0);
        a.to(Audience.topic("price")).emit("price", "101.5");
        a.to(Audience.topic("price")).emit("price", "101.7");
        try (RecordingClient c = RecordingClient.connect(options(t.port()), "price")) {
            c.client.subscribe("price").join();
            c.assertEvent("price", "101.7");
            a.to(Audience.topic("price")).emit("price", "101.9");
            c.assertEvent("price", "101.9");
            c.assertExhausted();
        }
    }
}
