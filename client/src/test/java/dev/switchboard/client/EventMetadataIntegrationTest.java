package dev.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.Audience;
import dev.switchboard.EventMetadata;
import dev.switchboard.Switchboard;
import dev.switchboard.cloudevents.CloudEventJson;
import dev.switchboard.http.ApiKeys;
import dev.switchboard.http.HttpApiOptions;
import dev.switchboard.spi.SubscriptionPolicy;
import dev.switchboard.transport.jetty.JettyTransport;
import dev.switchboard.transport.jetty.JettyTransportOptions;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a topic listener learns of an event's origin: the {@code id}, {@code source}, {@code time} and trace
 * context of events routed by the emit API ({@code POST /api/emit}) and of CloudEvents ({@code POST /events})
 * an application hands on, over a real Jetty transport; none for a plain emit.
 */
class EventMetadataIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String KEY = "metadata-emit-key-0123456789";
    private static final String TOPIC = "orders";
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

    private Switchboard board;
    private JettyTransport transport;
    private SwitchboardClient client;
    private final BlockingQueue<ServerEvent> events = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        board = Switchboard.builder().subscriptionPolicy(SubscriptionPolicy.allowAll()).build();
        // The application hands a CloudEvent on with its id, source and time (as docs/integration.md shows).
        board.onCloudEvent("order.created", event -> board.to(Audience.topic(TOPIC)).emit("order.enriched",
                CloudEventJson.data(event, board.mapper()), EventMetadata.id(event.getId())
                        .withSource(event.getSource().toString()).withTime(event.getTime().toInstant())));
        transport = JettyTransport.start(board, JettyTransportOptions.builder().host("127.0.0.1").port(0)
                .httpApi(HttpApiOptions.builder().emitApi(ApiKeys.of(KEY)).build()).build());
        client = SwitchboardClient.connect(ClientOptions.builder(transport.uri()).requestTimeout(WAIT).build())
                .get(30, TimeUnit.SECONDS);
        client.subscribe(TOPIC, events::add).get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (transport != null) {
            transport.close();
        }
        if (board != null) {
            board.close();
        }
    }

    private int post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(transport.httpUri().resolve(path))
                .POST(BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), BodyHandlers.ofString()).statusCode();
    }

    private ServerEvent next() throws InterruptedException {
        ServerEvent e = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(e).as("an event on %s within %s", TOPIC, WAIT).isNotNull();
        return e;
    }

    @Test
    void anEventFromTheEmitApiCarriesTheMessageIdTheTimeItWasAcceptedAndTheCallersTrace() throws Exception {
        Instant before = Instant.now();
        assertThat(post("/api/emit", """
                {"id":"n-1","type":"notifications.drawer","topics":["orders"],"payload":{"title":"Deploy finished"}}""",
                "Authorization", "Bearer " + KEY, "traceparent", TRACEPARENT, "tracestate", "congo=t61rcWkgMzE"))
                .isEqualTo(202);
        Instant after = Instant.now();

        ServerEvent e = next();
        assertThat(e.event()).isEqualTo("notifications.drawer");
        assertThat(e.topic()).isEqualTo(TOPIC);
        assertThat(e.data().path("title").asText()).isEqualTo("Deploy finished");
        assertThat(e.id()).isEqualTo("n-1");
        assertThat(e.source()).as("the emit API names no source").isNull();
        assertThat(e.time()).isBetween(before, after);
        assertThat(e.traceparent()).isEqualTo(TRACEPARENT);
        assertThat(e.tracestate()).isEqualTo("congo=t61rcWkgMzE");
        assertThat(e.metadata().id()).isEqualTo("n-1");
    }

    @Test
    void aCloudEventHandedOnCarriesItsIdSourceTimeAndTrace() throws Exception {
        assertThat(post("/events", "{\"orderCode\":\"76272727\"}", "ce-specversion", "1.0", "ce-id", "evt-1",
                "ce-source", "/commerce", "ce-type", "order.created", "ce-time", "2026-03-04T05:06:07Z",
                "ce-traceparent", TRACEPARENT)).isEqualTo(202);

        ServerEvent e = next();
        assertThat(e.event()).isEqualTo("order.enriched");
        assertThat(e.data().path("orderCode").asText()).isEqualTo("76272727");
        assertThat(e.id()).isEqualTo("evt-1");
        assertThat(e.source()).isEqualTo("/commerce");
        assertThat(e.time()).isEqualTo(Instant.parse("2026-03-04T05:06:07Z"));
        // The handler runs in the CloudEvent's trace, and what it emits carries it.
        assertThat(e.traceparent()).startsWith("00-" + TRACE_ID + "-");
        assertThat(e.tracestate()).isNull();
    }

    @Test
    void aPlainEmitCarriesNoMetadata() throws Exception {
        board.to(Audience.topic(TOPIC)).emit("tick", 1);

        ServerEvent e = next();
        assertThat(e.event()).isEqualTo("tick");
        assertThat(e.metadata()).isEqualTo(EventMetadata.NONE);
        assertThat(e.id()).isNull();
        assertThat(e.source()).isNull();
        assertThat(e.time()).isNull();
        assertThat(e.traceparent()).isNull();
        assertThat(e.tracestate()).isNull();
    }
}
