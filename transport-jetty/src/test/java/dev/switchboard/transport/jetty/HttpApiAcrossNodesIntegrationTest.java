package dev.switchboard.transport.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Audience;
import dev.switchboard.Identity;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardOptions;
import dev.switchboard.backplane.Backplanes;
import dev.switchboard.cloudevents.CloudEventJson;
import dev.switchboard.http.ApiKeys;
import dev.switchboard.http.HttpApiOptions;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.EmbeddedRedis;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two nodes, each behind its own Jetty, sharing a real Redis (the server in the embedded-redis jar,
 * started by the test on a free port): an emit or a CloudEvent posted to node A reaches a user
 * connected to node B, in both sub-protocols.
 */
class HttpApiAcrossNodesIntegrationTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String KEY = "cluster-emit-key-0123456789";
    @RegisterExtension
    static final EmbeddedRedis REDIS = EmbeddedRedis.perTestClass();

    private final List<AutoCloseable> resources = new ArrayList<>();
    // One channel prefix per test: both nodes on the same channels, nothing shared with other tests.
    private final String prefix = "emit-" + Long.toHexString(System.nanoTime());
    private Switchboard nodeA;
    private Switchboard nodeB;
    private JettyTransport httpA;
    private JettyTransport httpB;

    @BeforeEach
    void startNodes() {
        nodeA = node("a");
        nodeB = node("b");
        nodeA.onCloudEvent("order.created", event -> {
            JsonNode order = CloudEventJson.data(event, nodeA.mapper());
            nodeA.to(Audience.user(order.path("customerId").asText())).emit("order.enriched", order);
        });
        httpA = serve(nodeA);
        httpB = serve(nodeB);
        // Both nodes see each other: routed messages now reach the other node.
        Await.until(Duration.ofSeconds(15), () -> nodeA.cluster().nodes().size() == 2
                && nodeB.cluster().nodes().size() == 2, "both nodes in the cluster view");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private Switchboard node(String name) {
        Switchboard board = Switchboard.builder()
                .backplane(Backplanes.fromUri(REDIS.uri() + "?channelPrefix=" + prefix))
                .authenticator(h -> Identity.builder(h.bearerToken()).roles("admin").organisations("acme").build())
                .options(SwitchboardOptions.builder().nodeId("node-" + name)
                        .clusterHeartbeat(Duration.ofMillis(200)).build())
                .build();
        resources.add(board);
        return board;
    }

    private JettyTransport serve(Switchboard board) {
        JettyTransport t = JettyTransport.start(board, JettyTransportOptions.builder().host("127.0.0.1").port(0)
                .httpApi(HttpApiOptions.builder().emitApi(ApiKeys.of(KEY)).build()).build());
        resources.add(t);
        return t;
    }

    private RecordingClient connect(JettyTransport t, String user, String... protocols) {
        RecordingClient c = RecordingClient.to(URI.create(t.uri() + "?access_token=" + user))
                .subProtocols(protocols).connect();
        resources.add(c);
        return c;
    }

    private static int post(JettyTransport t, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(t.httpUri().resolve(path)).POST(BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), BodyHandlers.ofString()).statusCode();
    }

    @Test
    void anEmitPostedToNodeAReachesUsersOnNodeB() throws Exception {
        RecordingClient v1 = connect(httpB, "alice");
        v1.assertFrame("welcome");
        RecordingClient ce = connect(httpB, "alice", "cloudevents.json");

        assertThat(post(httpA, "/api/emit", """
                {"id":"n-1","type":"notifications.drawer","roles":["admin"],"organizations":["acme"],
                 "payload":{"title":"Deploy finished"}}""", "Content-Type", "application/json",
                "Authorization", "Bearer " + KEY)).isEqualTo(202);

        JsonNode f = v1.assertFrame("event");
        assertThat(f.path("id").asText()).isEqualTo("n-1");
        assertThat(f.path("data").path("title").asText()).isEqualTo("Deploy finished");
        JsonNode e = ce.nextFrame();
        assertThat(e.path("id").asText()).as("the same id on every node").isEqualTo("n-1");
        assertThat(e.path("type").asText()).isEqualTo("notifications.drawer");
    }

    @Test
    void aCloudEventPostedToNodeAReachesTheUserOnNodeB() throws Exception {
        RecordingClient alice = connect(httpB, "alice");
        alice.assertFrame("welcome");

        assertThat(post(httpA, "/events", "{\"orderCode\":\"76272727\",\"customerId\":\"alice\"}",
                "Content-Type", "application/json", "ce-specversion", "1.0", "ce-id", "evt-1",
                "ce-source", "/commerce", "ce-type", "order.created")).isEqualTo(202);

        JsonNode f = alice.assertFrame("event");
        assertThat(f.path("event").asText()).isEqualTo("order.enriched");
        assertThat(f.path("data").path("orderCode").asText()).isEqualTo("76272727");
        assertThat(nodeB.connectionCount()).isEqualTo(1);
        assertThat(nodeA.connectionCount()).isZero();
    }

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

    @Test
    void theTraceContextOfAnEmitCallGoesThroughTheBackplaneIntoTheDeliveredFrames() throws Exception {
        RecordingClient v1 = connect(httpB, "alice");
        v1.assertFrame("welcome");
        RecordingClient ce = connect(httpB, "alice", "cloudevents.json");

        assertThat(post(httpA, "/api/emit", """
                {"id":"n-2","type":"notifications.drawer","users":["alice"],"payload":{"title":"Traced"}}""",
                "Content-Type", "application/json", "Authorization", "Bearer " + KEY,
                "traceparent", TRACEPARENT, "tracestate", "congo=t61rcWkgMzE")).isEqualTo(202);

        JsonNode f = v1.assertFrame("event");
        assertThat(f.path("traceparent").asText()).isEqualTo(TRACEPARENT);
        assertThat(f.path("tracestate").asText()).isEqualTo("congo=t61rcWkgMzE");
        JsonNode e = ce.nextFrame();
        assertThat(e.path("traceparent").asText()).as("the distributed-tracing extension").isEqualTo(TRACEPARENT);
    }

    @Test
    void aCloudEventsTraceReachesItsHandlerAndWhatTheHandlerEmitsOnTheOtherNode() throws Exception {
        RecordingClient alice = connect(httpB, "alice");
        alice.assertFrame("welcome");
        java.util.concurrent.CompletableFuture<String> seen = new java.util.concurrent.CompletableFuture<>();
        nodeA.onCloudEvent("order.traced", event -> {
            seen.complete(dev.switchboard.TraceContext.current().map(dev.switchboard.TraceContext::traceId)
                    .orElse("none"));
            nodeA.to(Audience.user("alice")).emit("order.enriched", "traced");
        });

        assertThat(post(httpA, "/events", "{}", "Content-Type", "application/json", "ce-specversion", "1.0",
                "ce-id", "evt-9", "ce-source", "/commerce", "ce-type", "order.traced",
                "ce-traceparent", TRACEPARENT)).isEqualTo(202);

        assertThat(seen.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(TRACE_ID);
        assertThat(alice.assertFrame("event").path("traceparent").asText()).isEqualTo(TRACEPARENT);
    }
}
