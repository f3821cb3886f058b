package dev.switchboard.transport.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.Audience;
import dev.switchboard.Identity;
import dev.switchboard.Switchboard;
import dev.switchboard.cloudevents.CloudEventJson;
import dev.switchboard.http.ApiKeys;
import dev.switchboard.http.HttpApiOptions;
import dev.switchboard.http.HttpResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** POST /api/emit and POST /events on a real Jetty, called with a real HTTP client, heard by real sockets. */
class HttpApiIntegrationTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String KEY = "orders-service-key-0123456789";
    private static final String EVENTS_KEY = "events-only-key-0123456789";
    private static final Map<String, Identity> USERS = Map.of(
            "alice", Identity.builder("alice").roles("admin").organisations("acme").build(),
            "bob", Identity.builder("bob").roles("member").organisations("acme").build());
    /** The seed's fetch body, as JSON.stringify writes it. */
    private static final String SEED_BODY = """
            {"id":"message-id","type":"notifications.drawer","broadcast":true,"users":[],"roles":[],\
            "organizations":[],"payload":{"title":"New notification","description":"Some longer body"}}""";

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private Switchboard board() {
        Switchboard board = Switchboard.builder()
                .authenticator(h -> USERS.getOrDefault(h.bearerToken(), Identity.anonymous()))
                .build();
        resources.add(board);
        return board;
    }

    private JettyTransport serve(Switchboard board, JettyTransportOptions.Builder options) {
        JettyTransport t = JettyTransport.start(board, options.host("127.0.0.1").port(0).build());
        resources.add(t);
        return t;
    }

    private JettyTransport serveWithEmit(Switchboard board) {
        ApiKeys keys = ApiKeys.builder().key("orders-service", KEY).key("events-only", EVENTS_KEY, "events").build();
        return serve(board, JettyTransportOptions.builder()
                .httpApi(HttpApiOptions.builder().emitApi(keys.requiring("emit")).maxBodyBytes(64 * 1024).build()));
    }

    private RecordingClient connect(JettyTransport t, String user) {
        RecordingClient c = RecordingClient.to(URI.create(t.uri() + "?access_token=" + user)).connect();
        resources.add(c);
        c.assertFrame("welcome");
        return c;
    }

    private static java.net.http.HttpResponse<String> post(JettyTransport t, String path, String contentType,
                                                           String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(t.httpUri().resolve(path)).POST(BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), BodyHandlers.ofString());
    }

    private static java.net.http.HttpResponse<String> emit(JettyTransport t, String body) throws Exception {
        return post(t, "/api/emit", "application/json", body, "Authorization", "Bearer " + KEY);
    }

    private static void assertProblem(java.net.http.HttpResponse<String> r, int status, String field) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith(HttpResponse.PROBLEM_JSON));
        JsonNode p = MAPPER.readTree(r.body());
        assertThat(p.path("status").asInt()).isEqualTo(status);
        if (field != null) {
            assertThat(p.path("field").asText()).isEqualTo(field);
        }
    }

    @Test
    void theSeedsFetchReachesEveryConnectedClient() throws Exception {
        Switchboard board = board();
        JettyTransport t = serveWithEmit(board);
        RecordingClient alice = connect(t, "alice");
        RecordingClient bob = connect(t, "bob");

        java.net.http.HttpResponse<String> r = emit(t, SEED_BODY);

        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(MAPPER.readTree(r.body())).isEqualTo(MAPPER.readTree("{\"id\":\"message-id\",\"accepted\":true}"));
        for (RecordingClient c : List.of(alice, bob)) {
            JsonNode f = c.assertFrame("event");
            assertThat(f.path("event").asText()).isEqualTo("notifications.drawer");
            assertThat(f.path("id").asText()).isEqualTo("message-id");
            assertThat(f.path("data").path("title").asText()).isEqualTo("New notification");
        }
        // Sent again (a retry): accepted, not delivered twice.
        assertThat(MAPPER.readTree(emit(t, SEED_BODY).body()).path("duplicate").asBoolean()).isTrue();
        emit(t, "{\"id\":\"next\",\"type\":\"marker\",\"users\":[\"alice\"]}");
        assertThat(alice.assertFrame("event").path("event").asText()).isEqualTo("marker");
    }

    @Test
    void rolesWithinOrganisationsOverHttp() throws Exception {
        Switchboard board = board();
        JettyTransport t = serveWithEmit(board);
        RecordingClient alice = connect(t, "alice");
        RecordingClient bob = connect(t, "bob");

        assertThat(emit(t, "{\"id\":\"a\",\"type\":\"n\",\"roles\":[\"admin\"],\"organizations\":[\"acme\"]}")
                .statusCode()).isEqualTo(202);
        emit(t, "{\"id\":\"b\",\"type\":\"marker\",\"users\":[\"alice\",\"bob\"]}");

        assertThat(alice.assertFrame("event").path("id").asText()).isEqualTo("a");
        assertThat(bob.assertFrame("event").path("id").asText()).as("bob is no admin: the marker comes first")
                .isEqualTo("b");
    }

    @Test
    void everyRefusalOfTheEmitApi() throws Exception {
        JettyTransport t = serveWithEmit(board());

        java.net.http.HttpResponse<String> noKey = post(t, "/api/emit", "application/json", SEED_BODY);
        assertProblem(noKey, 401, null);
        assertThat(noKey.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertProblem(post(t, "/api/emit", "application/json", SEED_BODY, "X-API-Key", "not-a-valid-key-0123456"),
                401, null);
        assertProblem(post(t, "/api/emit", "application/json", SEED_BODY, "Authorization", "Bearer " + EVENTS_KEY),
                403, null);
        assertProblem(post(t, "/api/emit", "text/plain", SEED_BODY, "Authorization", "Bearer " + KEY), 415, null);
        assertProblem(post(t, "/api/emit", "application/json", "{\"type\":\"t\",\"payload\":\""
                + "x".repeat(70 * 1024) + "\",\"broadcast\":true}", "Authorization", "Bearer " + KEY), 413, null);
        assertProblem(emit(t, "{\"type\":\"t\",\"users\":[1]}"), 400, "users");
        assertProblem(emit(t, "{\"type\":\"t\",\"roles\":[\"admin\"]}"), 400, "roles");
        assertProblem(emit(t, "not json"), 400, null);
        java.net.http.HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(t.httpUri().resolve("/api/emit"))
                .header("Authorization", "Bearer " + KEY).build(), BodyHandlers.ofString());
        assertProblem(get, 405, null);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void cloudEventsInBinaryModeReachTheHandlerWhichPushesToTheUser() throws Exception {
        Switchboard board = board();
        board.onCloudEvent("order.created", event -> {
            JsonNode order = CloudEventJson.data(event, board.mapper());
            board.to(Audience.user(order.path("customerId").asText())).emit("order.enriched",
                    Map.of("orderCode", order.path("orderCode").asText(), "source", event.getSource().toString()));
        });
        JettyTransport t = serve(board, JettyTransportOptions.builder());
        RecordingClient alice = connect(t, "alice");

        // What a Knative trigger sends (binary content mode).
        java.net.http.HttpResponse<String> r = post(t, "/events", "application/json",
                "{\"orderCode\":\"76272727\",\"customerId\":\"alice\"}",
                "ce-specversion", "1.0", "ce-id", "e-1", "ce-source", "/commerce", "ce-type", "order.created");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode f = alice.assertFrame("event");
        assertThat(f.path("event").asText()).isEqualTo("order.enriched");
        assertThat(f.path("data").path("orderCode").asText()).isEqualTo("76272727");

        assertThat(post(t, "/events", "application/cloudevents+json", """
                {"specversion":"1.0","id":"e-2","source":"/commerce","type":"order.created",
                 "data":{"orderCode":"2","customerId":"alice"}}""").statusCode()).isEqualTo(202);
        assertThat(alice.assertFrame("event").path("data").path("orderCode").asText()).isEqualTo("2");

        assertProblem(post(t, "/events", "application/cloudevents+json",
                "{\"specversion\":\"1.0\",\"id\":\"e\",\"source\":\"/s\",\"type\":\"order.refunded\"}"), 404, "type");
        assertProblem(post(t, "/events", "application/cloudevents+json", "{\"id\":\"e\",\"source\":\"/s\",\"type\":\"t\"}"),
                400, null);
        assertProblem(post(t, "/events", "application/json", "{}"), 415, null);
        // The emit API is off unless it was given an authorizer: nothing is mounted there.
        assertThat(post(t, "/api/emit", "application/json", SEED_BODY).statusCode()).isIn(404, 405);
    }

    @Test
    void pathsAndSwitchesAreConfigurableAndTheAppMountsItsOwnServices() throws Exception {
        Switchboard board = board();
        board.onCloudEvent("ping", e -> { });
        JettyTransport t = serve(board, JettyTransportOptions.builder()
                .httpApi(HttpApiOptions.builder().emitApi(ApiKeys.of(KEY)).emitPath("/internal/push")
                        .cloudEventsPath("/ce").build())
                .httpService("/api/things/*", request -> HttpResponse.json(200, MAPPER.createObjectNode()
                        .put("path", request.path()).put("q", request.queryParam("q")).put("method", request.method()))));

        assertThat(post(t, "/internal/push", "application/json", SEED_BODY, "X-API-Key", KEY).statusCode())
                .isEqualTo(202);
        assertThat(post(t, "/ce", "application/cloudevents+json",
                "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"ping\"}").statusCode()).isEqualTo(202);
        assertThat(post(t, "/events", "application/cloudevents+json", "{}").statusCode()).isIn(404, 405);
        java.net.http.HttpResponse<String> thing = HTTP.send(HttpRequest.newBuilder(
                t.httpUri().resolve("/api/things/42?q=a%20b")).build(), BodyHandlers.ofString());
        assertThat(MAPPER.readTree(thing.body())).isEqualTo(MAPPER.readTree(
                "{\"path\":\"/api/things/42\",\"q\":\"a b\",\"method\":\"GET\"}"));

        JettyTransport off = serve(board(), JettyTransportOptions.builder()
                .httpApi(HttpApiOptions.builder().cloudEvents(false).build()));
        assertThat(post(off, "/events", "application/cloudevents+json", "{}").statusCode()).isIn(404, 405);
    }
}
