package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Audience;
import dev.switchboard.Retention;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.SwitchboardOptions;
import dev.switchboard.backplane.Backplanes;
import dev.switchboard.spi.SubscriptionPolicy;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.EmbeddedRedis;
import dev.switchboard.transport.jetty.JettyTransport;
import dev.switchboard.transport.jetty.JettyTransportOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A rolling restart, end to end: two nodes sharing a real Redis behind a balancer that routes new
 * connections by {@code /health} (as a Kubernetes Service does by readiness). Node A drains while node B
 * keeps publishing to a durable topic: A refuses upgrades with 503 and reports {@code DRAINING}, lets the
 * request in flight finish (its emit reaches everyone), closes its clients with 1012; they reconnect
 * through the balancer to B and resume the topic with every offset exactly once; then A leaves the cluster.
 */
class DrainIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TOPIC = "orders:1";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @RegisterExtension
    static final EmbeddedRedis REDIS = EmbeddedRedis.perTestClass();

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final String prefix = "drain-" + Long.toHexString(System.nanoTime());
    private final CountDownLatch slowStarted = new CountDownLatch(1);
    private final CountDownLatch releaseSlow = new CountDownLatch(1);

    @AfterEach
    void tearDown() throws Exception {
        releaseSlow.countDown();
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private Switchboard node(String id) {
        Switchboard board = Switchboard.builder()
                .backplane(Backplanes.fromUri(REDIS.uri() + "?channelPrefix=" + prefix))
                .subscriptionPolicy(SubscriptionPolicy.allowAll())
                .options(SwitchboardOptions.builder().nodeId(id).clusterHeartbeat(Duration.ofMillis(200)).build())
                .build();
        board.durableTopic("orders:*", Retention.lastMessages(10_000));
        board.onRequest("slow", (conn, data) -> {
            slowStarted.countDown();
            releaseSlow.await();
            board.to(Audience.topic(TOPIC)).emit("tick", "slow-done");
            return "done";
        });
        resources.add(board);
        return board;
    }

    private JettyTransport serve(Switchboard board) {
        JettyTransport t = JettyTransport.start(board, JettyTransportOptions.builder().host("127.0.0.1").port(0)
                .stopTimeout(Duration.ofMillis(500)).build());
        resources.add(t);
        return t;
    }

    private static HttpResponse<String> health(JettyTransport t) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(t.httpUri().resolve("/health")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void clientsOfADrainingNodeMoveToTheOtherAndResumeTheirDurableTopicWithNothingLost() throws Exception {
        Switchboard a = node("a");
        Switchboard b = node("b");
        JettyTransport onA = serve(a);
        JettyTransport onB = serve(b);
        Await.until(WAIT, () -> a.cluster().nodes().size() == 2 && b.cluster().nodes().size() == 2,
                "both nodes in the cluster view");
        HealthCheckingBalancer balancer = new HealthCheckingBalancer(List.of(onA.port(), onB.port()));
        resources.add(balancer);

        List<SwitchboardClient> clients = new ArrayList<>();
        List<List<Long>> offsets = new ArrayList<>();
        List<List<String>> data = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            SwitchboardClient c = SwitchboardClient.create(
                    ClientOptions.builder(URI.create("ws://127.0.0.1:" + balancer.port() + "/ws"))
                            .backoff(Duration.ofMillis(50), Duration.ofMillis(500), 2.0)
                            .restartDelay(Duration.ofMillis(300))
                            .requestTimeout(WAIT).build());
            resources.add(c);
            c.connect().get(30, TimeUnit.SECONDS);
            List<Long> seen = new CopyOnWriteArrayList<>();
            List<String> texts = new CopyOnWriteArrayList<>();
            c.subscribe(TOPIC, e -> {
                seen.add(e.offset());
                texts.add(e.data().asText());
            }).get(30, TimeUnit.SECONDS);
            clients.add(c);
            offsets.add(seen);
            data.add(texts);
        }
        assertThat(clients).allSatisfy(c -> assertThat(c.connectionId()).startsWith("c-a-"));

        // Node B publishes to the durable topic all along.
        AtomicBoolean publishing = new AtomicBoolean(true);
        AtomicInteger published = new AtomicInteger();
        CompletableFuture<Void> publisher = CompletableFuture.runAsync(() -> {
            while (publishing.get()) {
                b.to(Audience.topic(TOPIC)).emit("tick", "tick-" + published.incrementAndGet());
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });
        Await.until(WAIT, () -> offsets.stream().allMatch(o -> o.size() >= 10), "ticks before the drain");

        // A request is in flight on A when the drain starts.
        CompletableFuture<JsonNode> slow = clients.get(0).request("slow", null);
        assertThat(slowStarted.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> drained = CompletableFuture.runAsync(() -> a.drain(Duration.ofSeconds(30)));
        Await.until(WAIT, a::isDraining, "node A draining");

        HttpResponse<String> healthA = health(onA);
        assertThat(healthA.statusCode()).isEqualTo(503);
        assertThat(healthA.body()).contains("\"status\":\"DRAINING\"");
        assertThat(health(onB).statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> SwitchboardClient.connect(ClientOptions.builder(onA.uri()).reconnect(false).build())
                .get(30, TimeUnit.SECONDS))
                .hasCauseInstanceOf(SwitchboardException.class)
                .hasMessageContaining("HTTP 503");
        // The connections stay while the request is in flight.
        assertThat(drained).isNotDone();
        assertThat(a.connectionCount()).isEqualTo(3);

        releaseSlow.countDown();
        assertThat(slow.get(30, TimeUnit.SECONDS).asText()).isEqualTo("done");
        drained.get(30, TimeUnit.SECONDS);
        assertThat(a.connectionCount()).isZero();

        Await.until(WAIT, () -> clients.stream().allMatch(c -> c.state() == ClientState.OPEN
                && c.connectionId().startsWith("c-b-")), "every client reconnected to node B");
        int before = published.get();
        Await.until(WAIT, () -> published.get() >= before + 20, "ticks after the move");
        publishing.set(false);
        publisher.get(30, TimeUnit.SECONDS);

        long last = published.get() + 1; // every tick, and the slow request's emit
        for (int i = 0; i < clients.size(); i++) {
            List<Long> seen = offsets.get(i);
            Await.until(WAIT, () -> seen.size() >= last, "client sees every offset");
            assertThat(seen).as("offsets of client %d", i)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, last).boxed().toList());
            assertThat(data.get(i)).contains("slow-done");
        }

        // Only now does A leave the cluster.
        assertThat(b.cluster().nodes()).contains("a");
        a.close();
        Await.until(WAIT, () -> b.cluster().nodes().equals(Set.of("b")), "node A left the cluster");
    }
}
