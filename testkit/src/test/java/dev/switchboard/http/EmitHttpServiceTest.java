package dev.switchboard.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.Identity;
import dev.switchboard.Retention;
import dev.switchboard.StreamPosition;
import dev.switchboard.Switchboard;
import dev.switchboard.backplane.LocalBackplane;
import dev.switchboard.spi.History;
import dev.switchboard.spi.HistoryRead;
import dev.switchboard.testkit.InMemoryClient;
import dev.switchboard.testkit.InMemoryTransport;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POST /api/emit without a server: every answer of the neutral service. */
class EmitHttpServiceTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String KEY = "emit-key-0123456789abcdef";
    private static final String EVENTS_ONLY_KEY = "events-key-0123456789abcdef";
    static final String SEED_BODY = """
            {"id":"message-id","type":"notifications.drawer","broadcast":true,"users":[],"roles":[],\
            "organizations":[],"payload":{"title":"New notification","description":"Some longer body"}}""";

    private Switchboard board;
    private EmitHttpService service;

    @BeforeEach
    void setUp() {
        board = Switchboard.builder().authenticator(h -> Identity.user("alice")).build();
        ApiKeys keys = ApiKeys.builder().key("svc", KEY).key("events-only", EVENTS_ONLY_KEY, "events").build();
        service = EmitHttpService.create(board.emitService(), keys.requiring("emit"), board.mapper(), 1024);
    }

    @AfterEach
    void tearDown() {
        board.close();
    }

    private static HttpRequest.Builder post(String body) {
        return post(body, "application/json; charset=utf-8");
    }

    private static HttpRequest.Builder post(String body, String contentType) {
        HttpRequest.Builder b = HttpRequest.builder("POST", "/api/emit").header("Authorization", "Bearer " + KEY)
                .body(body);
        return contentType == null ? b : b.header("Content-Type", contentType);
    }

    private static JsonNode json(HttpResponse r) throws Exception {
        return MAPPER.readTree(r.body());
    }

    private static void assertProblem(HttpResponse r, int status, String code, String field) throws Exception {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).isEqualTo("application/problem+json");
        JsonNode p = json(r);
        assertThat(p.path("status").asInt()).isEqualTo(status);
        assertThat(p.path("type").asText()).isEqualTo("about:blank");
        assertThat(p.path("title").asText()).isNotEmpty();
        assertThat(p.path("detail").asText()).isNotEmpty();
        assertThat(p.path("code").asText()).isEqualTo(code);
        if (field == null) {
            assertThat(p.has("field")).isFalse();
        } else {
            assertThat(p.path("field").asText()).isEqualTo(field);
            assertThat(p.path("detail").asText()).contains(field);
        }
    }

    @Test
    void theSeedBodyIsAcceptedAndDeliveredOncePerId() throws Exception {
        InMemoryClient alice = InMemoryTransport.attach(board).connect();
        alice.nextFrame(Duration.ofSeconds(2));

        HttpResponse first = service.handle(post(SEED_BODY).build());
        HttpResponse again = service.handle(post(SEED_BODY).build());

        assertThat(first.status()).isEqualTo(202);
        assertThat(first.contentType()).isEqualTo("application/json");
        assertThat(json(first)).isEqualTo(MAPPER.readTree("{\"id\":\"message-id\",\"accepted\":true}"));
        assertThat(json(again)).isEqualTo(MAPPER.readTree("{\"id\":\"message-id\",\"accepted\":true,\"duplicate\":true}"));
        assertThat(alice.nextFrame(Duration.ofSeconds(2)).path("event").asText()).isEqualTo("notifications.drawer");
        assertThat(alice.pollFrame()).isNull();
    }

    @Test
    void credentials() throws Exception {
        HttpResponse none = service.handle(HttpRequest.builder("POST", "/api/emit")
                .header("Content-Type", "application/json").body(SEED_BODY).build());
        assertProblem(none, 401, "unauthorized", null);
        assertThat(none.headers()).containsEntry("WWW-Authenticate", "Bearer");

        HttpResponse wrong = service.handle(HttpRequest.builder("POST", "/api/emit")
                .header("Content-Type", "application/json").header("X-API-Key", "wrong-key-0123456789abcdef")
                .body(SEED_BODY).build());
        assertProblem(wrong, 401, "unauthorized", null);

        HttpResponse notForEmit = service.handle(HttpRequest.builder("POST", "/api/emit")
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + EVENTS_ONLY_KEY)
                .body(SEED_BODY).build());
        assertProblem(notForEmit, 403, "forbidden", null);
    }

    @Test
    void credentialsAreCheckedBeforeTheBody() throws Exception {
        HttpResponse r = service.handle(HttpRequest.builder("POST", "/api/emit").header("Content-Type", "text/plain")
                .body("x".repeat(5000)).bodyTooLarge(true).build());
        assertProblem(r, 401, "unauthorized", null);
    }

    @Test
    void mediaTypeSizeAndMethod() throws Exception {
        HttpResponse text = service.handle(post(SEED_BODY, "text/plain").build());
        assertProblem(text, 415, "bad_request", null);
        assertThat(text.headers()).containsEntry("Accept-Post", "application/json");
        assertProblem(service.handle(post(SEED_BODY, null).build()), 415, "bad_request", null);
        assertThat(service.handle(post(SEED_BODY.replace("message-id", "m2"),
                "application/vnd.acme+json").build()).status()).isEqualTo(202);

        assertProblem(service.handle(post("").bodyTooLarge(true).build()), 413, "too_large", null);
        assertProblem(service.handle(post("{\"type\":\"" + "x".repeat(2000) + "\"}").build()), 413, "too_large", null);

        HttpResponse get = service.handle(HttpRequest.builder("GET", "/api/emit").build());
        assertProblem(get, 405, "bad_request", null);
        assertThat(get.headers()).containsEntry("Allow", "POST");
    }

    @Test
    void malformedBodiesNameTheField() throws Exception {
        assertProblem(service.handle(post("{\"type\":").build()), 400, "bad_request", null);
        assertProblem(service.handle(post("[1,2]").build()), 400, "bad_request", null);
        assertProblem(service.handle(post("{\"broadcast\":true}").build()), 400, "bad_request", "type");
        assertProblem(service.handle(post("{\"type\":\"t\",\"users\":\"alice\"}").build()), 400, "bad_request", "users");
        assertProblem(service.handle(post("{\"type\":\"t\",\"broadcast\":1}").build()), 400, "bad_request", "broadcast");
        assertProblem(service.handle(post("{\"type\":\"t\",\"roles\":[\"admin\"]}").build()), 400, "bad_request", "roles");
        assertProblem(service.handle(post("{\"type\":\"t\",\"organizations\":[1]}").build()), 400, "bad_request",
                "organizations");
        assertProblem(service.handle(post("{\"type\":\"t\",\"topics\":{}}").build()), 400, "bad_request", "topics");
        assertProblem(service.handle(post("{\"type\":\"t\",\"connections\":[true]}").build()), 400, "bad_request",
                "connections");
        assertProblem(service.handle(post("{\"id\":1,\"type\":\"t\",\"broadcast\":true}").build()), 400, "bad_request",
                "id");
        assertProblem(service.handle(post("{\"type\":\"t\"}").build()), 400, "bad_request", null);
    }

    @Test
    void aFailedHistoryStoreIs503AndTheRetryIsNotADuplicate() throws Exception {
        board.close();
        History failing = new History() {
            @Override
            public CompletableFuture<StreamPosition> append(String topic, byte[] message, Retention retention) {
                return CompletableFuture.failedFuture(new IllegalStateException("store down"));
            }

            @Override
            public CompletableFuture<HistoryRead> read(String topic, long afterOffset, int limit) {
                return CompletableFuture.failedFuture(new IllegalStateException("store down"));
            }
        };
        board = Switchboard.builder().backplane(new LocalBackplane(failing)).build();
        board.durableTopic("orders", Retention.lastValue());
        service = EmitHttpService.create(board.emitService(), ApiKeys.of(KEY), board.mapper(), 1024);
        String body = "{\"id\":\"x\",\"type\":\"t\",\"topics\":[\"orders\"]}";

        assertProblem(service.handle(post(body).build()), 503, "unavailable", null);
        assertProblem(service.handle(post(body).build()), 503, "unavailable", null);
    }
}
