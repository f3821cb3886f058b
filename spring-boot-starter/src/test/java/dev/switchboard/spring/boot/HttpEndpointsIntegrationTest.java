package dev.switchboard.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.spring.boot.httpapp.HttpApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The emit API and the CloudEvents endpoint served by Boot's own container, called with a real HTTP client
 * and heard by real Java clients. Runs on Tomcat, and again on Jetty and Undertow (the {@code containers}
 * surefire runs).
 */
@Tag("containers")
@SpringBootTest(classes = HttpApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "switchboard.http.emit.enabled=true",
        "switchboard.http.emit.api-keys.orders-service=" + HttpApp.KEY,
        "switchboard.http.events.enabled=true",
        "switchboard.http.events.api-keys.broker=" + HttpEndpointsIntegrationTest.BROKER_KEY,
        "switchboard.http.max-body-size=64KB"})
class HttpEndpointsIntegrationTest {
    static final String BROKER_KEY = "broker-key-0123456789abcdef";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** The seed's fetch body, as JSON.stringify writes it. */
    private static final String SEED_BODY = """
            {"id":"message-id","type":"notifications.drawer","broadcast":true,"users":[],"roles":[],\
            "organizations":[],"payload":{"title":"New notification","description":"Some longer body"}}""";

    @LocalServerPort
    int port;

    private HttpResponse<String> post(String path, String contentType, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), BodyHandlers.ofString());
    }

    private HttpResponse<String> emit(String body) throws Exception {
        return post("/api/emit", "application/json", body, "Authorization", "Bearer " + HttpApp.KEY);
    }

    private HttpResponse<String> event(String contentType, String body, String... headers) throws Exception {
        String[] all = java.util.Arrays.copyOf(headers, headers.length + 2);
        all[headers.length] = "X-API-Key";
        all[headers.length + 1] = BROKER_KEY;
        return post("/events", contentType, body, all);
    }

    private static void assertProblem(HttpResponse<String> r, int status, String field) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/problem+json"));
        JsonNode p = MAPPER.readTree(r.body());
        assertThat(p.path("status").asInt()).isEqualTo(status);
        if (field != null) {
            assertThat(p.path("field").asText()).isEqualTo(field);
        }
    }

    @Test
    void anEmitReachesEveryConnectedClientOnceAndARepeatIsADuplicate() throws Exception {
        try (Recorder alice = Recorder.connect(Recorder.options(port, "alice").build(), "notifications.drawer", "marker");
             Recorder bob = Recorder.connect(Recorder.options(port, "bob").build(), "notifications.drawer", "marker")) {
            HttpResponse<String> r = emit(SEED_BODY);

            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            assertThat(MAPPER.readTree(r.body())).isEqualTo(MAPPER.readTree("{\"id\":\"message-id\",\"accepted\":true}"));
            assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
            for (Recorder c : List.of(alice, bob)) {
                Recorder.Received e = c.next();
                assertThat(e.event()).isEqualTo("notifications.drawer");
                assertThat(e.data().path("title").asText()).isEqualTo("New notification");
            }
            // Sent again (a retry): accepted, not delivered twice — the marker comes next.
            assertThat(MAPPER.readTree(emit(SEED_BODY).body()).path("duplicate").asBoolean()).isTrue();
            assertThat(emit("{\"id\":\"m-1\",\"type\":\"marker\",\"users\":[\"alice\",\"bob\"]}").statusCode())
                    .isEqualTo(202);
            assertThat(alice.next().event()).isEqualTo("marker");
            assertThat(bob.next().event()).isEqualTo("marker");
        }
    }

    @Test
    void rolesApplyWithinOrganisations() throws Exception {
        try (Recorder alice = Recorder.connect(Recorder.options(port, "alice").build(), "n", "marker");
             Recorder bob = Recorder.connect(Recorder.options(port, "bob").build(), "n", "marker")) {
            assertThat(emit("{\"id\":\"r-1\",\"type\":\"n\",\"roles\":[\"admin\"],\"organizations\":[\"acme\"]}")
                    .statusCode()).isEqualTo(202);
            emit("{\"id\":\"r-2\",\"type\":\"marker\",\"users\":[\"alice\",\"bob\"]}");

            assertThat(alice.next().event()).isEqualTo("n");
            assertThat(bob.next().event()).as("bob is no admin: the marker comes first").isEqualTo("marker");
        }
    }

    @Test
    void everyRefusalIsAProblem() throws Exception {
        HttpResponse<String> noKey = post("/api/emit", "application/json", SEED_BODY);
        assertProblem(noKey, 401, null);
        assertThat(noKey.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertProblem(post("/api/emit", "application/json", SEED_BODY, "X-API-Key", "not-a-valid-key-0123456"), 401, null);
        assertProblem(post("/api/emit", "application/json", SEED_BODY, "Authorization", "Bearer " + BROKER_KEY), 401, null);
        assertProblem(post("/api/emit", "text/plain", SEED_BODY, "Authorization", "Bearer " + HttpApp.KEY), 415, null);
        assertProblem(emit("{\"type\":\"t\",\"payload\":\"" + "x".repeat(70 * 1024) + "\",\"broadcast\":true}"), 413, null);
        assertProblem(emit("{\"type\":\"t\",\"users\":[1]}"), 400, "users");
        assertProblem(emit("{\"type\":\"t\",\"roles\":[\"admin\"]}"), 400, "roles");
        assertProblem(emit("not json"), 400, null);
        HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/emit"))
                .header("Authorization", "Bearer " + HttpApp.KEY).build(), BodyHandlers.ofString());
        assertProblem(get, 405, null);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void cloudEventsInEveryModeReachTheHandlerWhichPushesToTheUser() throws Exception {
        try (Recorder alice = Recorder.connect(Recorder.options(port, "alice").build(), "order.enriched")) {
            // What a Knative trigger sends: binary content mode.
            HttpResponse<String> binary = event("application/json", "{\"orderCode\":\"1\",\"customerId\":\"alice\"}",
                    "ce-specversion", "1.0", "ce-id", "e-1", "ce-source", "/commerce", "ce-type", "order.created");
            assertThat(binary.statusCode()).as(binary.body()).isEqualTo(202);
            Recorder.Received e = alice.next();
            assertThat(e.data().path("orderCode").asText()).isEqualTo("1");
            assertThat(e.data().path("source").asText()).isEqualTo("/commerce");

            assertThat(event("application/cloudevents+json", """
                    {"specversion":"1.0","id":"e-2","source":"/commerce","type":"order.created",
                     "data":{"orderCode":"2","customerId":"alice"}}""").statusCode()).isEqualTo(202);
            assertThat(alice.next().data().path("orderCode").asText()).isEqualTo("2");

            HttpResponse<String> batch = event("application/cloudevents-batch+json", """
                    [{"specversion":"1.0","id":"e-3","source":"/commerce","type":"order.created",
                      "data":{"orderCode":"3","customerId":"alice"}},
                     {"specversion":"1.0","id":"e-4","source":"/commerce","type":"order.created",
                      "data":{"orderCode":"4","customerId":"alice"}}]""");
            assertThat(batch.statusCode()).as(batch.body()).isEqualTo(202);
            assertThat(MAPPER.readTree(batch.body()).path("ids")).hasSize(2);
            assertThat(alice.next().data().path("orderCode").asText()).isEqualTo("3");
            assertThat(alice.next().data().path("orderCode").asText()).isEqualTo("4");
        }
    }

    @Test
    void cloudEventsRefusals() throws Exception {
        String ok = "{\"specversion\":\"1.0\",\"id\":\"e\",\"source\":\"/s\",\"type\":\"order.created\","
                + "\"data\":{\"customerId\":\"nobody\"}}";
        assertProblem(post("/events", "application/cloudevents+json", ok), 401, null);
        assertProblem(post("/events", "application/cloudevents+json", ok, "X-API-Key", HttpApp.KEY), 401, null);
        // the switchboardEventsAuthorizer bean is accepted next to the properties' keys
        assertThat(post("/events", "application/cloudevents+json", ok, "X-API-Key", HttpApp.EVENTS_BEAN_KEY)
                .statusCode()).isEqualTo(202);
        assertProblem(event("application/cloudevents+json",
                "{\"specversion\":\"1.0\",\"id\":\"e\",\"source\":\"/s\",\"type\":\"order.refunded\"}"), 404, "type");
        assertProblem(event("application/cloudevents+json", "{\"id\":\"e\",\"source\":\"/s\",\"type\":\"t\"}"), 400, null);
        assertProblem(event("text/plain", "{}"), 415, null);
        assertProblem(event("application/cloudevents+json", "{\"data\":\"" + "x".repeat(70 * 1024) + "\"}"), 413, null);
    }
}
