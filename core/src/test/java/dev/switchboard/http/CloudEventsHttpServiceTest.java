package dev.switchboard.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.ErrorCode;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.cloudevents.CloudEventJson;
import io.cloudevents.CloudEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** POST /events without a server: the three modes, every refusal, handler outcomes. */
class CloudEventsHttpServiceTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final String ORDER_CREATED = """
            {"specversion":"1.0","id":"evt-1","source":"/commerce","type":"order.created",\
            "datacontenttype":"application/json","data":{"orderCode":"76272727","customerId":"alice"}}""";

    private Switchboard board;
    private CloudEventsHttpService service;
    private final List<CloudEvent> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        board = Switchboard.builder().build();
        board.onCloudEvent("order.created", received::add);
        service = CloudEventsHttpService.create(board, HttpAuthorizer.allowAll(), 4096);
    }

    @AfterEach
    void tearDown() {
        board.close();
    }

    private static HttpRequest.Builder post(String contentType, String body) {
        HttpRequest.Builder b = HttpRequest.builder("POST", "/events").body(body);
        return contentType == null ? b : b.header("Content-Type", contentType);
    }

    private static HttpRequest.Builder binary(String body) {
        return post("application/json", body).header("ce-specversion", "1.0").header("ce-id", "evt-2")
                .header("ce-source", "/commerce").header("ce-type", "order.created")
                .header("ce-time", "2026-01-01T10:00:00Z");
    }

    private static void assertProblem(HttpResponse r, int status, String detail) throws Exception {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).isEqualTo("application/problem+json");
        JsonNode p = MAPPER.readTree(r.body());
        assertThat(p.path("status").asInt()).isEqualTo(status);
        assertThat(p.path("detail").asText()).contains(detail);
    }

    @Test
    void structuredMode() throws Exception {
        HttpResponse r = service.handle(post("application/cloudevents+json; charset=UTF-8", ORDER_CREATED).build());

        assertThat(r.status()).isEqualTo(202);
        assertThat(MAPPER.readTree(r.body())).isEqualTo(MAPPER.readTree("{\"id\":\"evt-1\",\"accepted\":true}"));
        assertThat(received).hasSize(1);
        CloudEvent e = received.get(0);
        assertThat(e.getSource().toString()).isEqualTo("/commerce");
        assertThat(CloudEventJson.data(e, MAPPER).path("orderCode").asText()).isEqualTo("76272727");
    }

    @Test
    void binaryModeAsAKnativeTriggerSendsIt() throws Exception {
        HttpResponse r = service.handle(binary("{\"orderCode\":\"1\"}").header("ce-knativearrivaltime",
                "2026-01-01T10:00:01Z").build());

        assertThat(r.status()).isEqualTo(202);
        CloudEvent e = received.get(0);
        assertThat(e.getId()).isEqualTo("evt-2");
        assertThat(e.getTime()).isNotNull();
        assertThat(e.getExtension("knativearrivaltime")).isNotNull();
        assertThat(CloudEventJson.data(e, MAPPER).path("orderCode").asText()).isEqualTo("1");
    }

    @Test
    void binaryModeWithTextData() throws Exception {
        HttpResponse r = service.handle(post("text/plain", "hello").header("ce-specversion", "1.0")
                .header("ce-id", "t1").header("ce-source", "/s").header("ce-type", "order.created").build());
        assertThat(r.status()).isEqualTo(202);
        assertThat(CloudEventJson.data(received.get(0), MAPPER).asText()).isEqualTo("hello");
    }

    @Test
    void batchModeHandlesEveryEventInOrder() throws Exception {
        String batch = "[" + ORDER_CREATED + "," + ORDER_CREATED.replace("evt-1", "evt-9") + "]";
        HttpResponse r = service.handle(post("application/cloudevents-batch+json", batch).build());

        assertThat(r.status()).isEqualTo(202);
        assertThat(MAPPER.readTree(r.body()).path("ids")).hasSize(2);
        assertThat(received).extracting(CloudEvent::getId).containsExactly("evt-1", "evt-9");
    }

    @Test
    void anEmptyBatchIsAccepted() throws Exception {
        HttpResponse r = service.handle(post("application/cloudevents-batch+json", "[]").build());
        assertThat(r.status()).isEqualTo(202);
        assertThat(MAPPER.readTree(r.body())).isEqualTo(MAPPER.readTree("{\"ids\":[],\"accepted\":true}"));
    }

    @Test
    void anAuthorizerThatBreaksIsA500ProblemNotAnException() throws Exception {
        CloudEventsHttpService broken = CloudEventsHttpService.create(board, r -> {
            throw new IllegalStateException("key store unreachable");
        }, 4096);
        HttpResponse r = broken.handle(post("application/cloudevents+json", ORDER_CREATED).build());
        assertProblem(r, 500, "internal error");
        assertThat(received).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"specversion", "id", "source", "type"})
    void aStructuredEventWithoutARequiredAttributeIs400(String attribute) throws Exception {
        JsonNode event = MAPPER.readTree(ORDER_CREATED);
        ((com.fasterxml.jackson.databind.node.ObjectNode) event).remove(attribute);
        assertProblem(service.handle(post("application/cloudevents+json", event.toString()).build()), 400, attribute);
        assertThat(received).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ce-specversion", "ce-id", "ce-source", "ce-type"})
    void aBinaryEventWithoutARequiredHeaderIs400(String header) throws Exception {
        HttpRequest full = binary("{}").build();
        HttpRequest.Builder b = HttpRequest.builder("POST", "/events").body("{}");
        full.headers().forEach((k, v) -> {
            if (!k.equalsIgnoreCase(header)) {
                b.header(k, v.get(0));
            }
        });
        assertProblem(service.handle(b.build()), 400, header.substring(3));
        assertThat(received).isEmpty();
    }

    @Test
    void malformedEventsAre400() throws Exception {
        assertProblem(service.handle(post("application/cloudevents+json", "{\"specversion\":").build()), 400,
                "JSON");
        assertProblem(service.handle(post("application/cloudevents+json",
                ORDER_CREATED.replace("\"1.0\"", "\"9.9\"")).build()), 400, "9.9");
        assertProblem(service.handle(post("application/cloudevents+json",
                ORDER_CREATED.replace("\"evt-1\"", "\"\"")).build()), 400, "id");
        assertProblem(service.handle(post("application/cloudevents+json",
                ORDER_CREATED.replace("\"/commerce\"", "7")).build()), 400, "source");
        assertProblem(service.handle(binary("{not json").build()), 400, "JSON");
        assertProblem(service.handle(post("application/cloudevents-batch+json", ORDER_CREATED).build()), 400, "array");
        assertProblem(service.handle(post("application/cloudevents-batch+json",
                "[" + ORDER_CREATED + ",{\"id\":\"x\"}]").build()), 400, "event 1");
        assertThat(received).isEmpty();
    }

    @Test
    void anUnhandledTypeIs404AndABatchWithOneIsNotHandledAtAll() throws Exception {
        assertProblem(service.handle(post("application/cloudevents+json",
                ORDER_CREATED.replace("order.created", "order.deleted")).build()), 404, "order.deleted");
        assertProblem(service.handle(post("application/cloudevents-batch+json", "[" + ORDER_CREATED + ","
                + ORDER_CREATED.replace("order.created", "order.paid") + "]").build()), 404, "order.paid");
        assertThat(received).isEmpty();
    }

    @Test
    void otherMediaTypesAre415() throws Exception {
        HttpResponse plain = service.handle(post("application/json", "{}").build());
        assertProblem(plain, 415, "application/json");
        assertThat(plain.headers()).containsKey("Accept-Post");
        assertProblem(service.handle(post("application/cloudevents+xml", "<e/>").build()), 415, "xml");
        assertProblem(service.handle(post(null, "{}").build()), 415, "no Content-Type");
    }

    @Test
    void sizeMethodAndAuthorizer() throws Exception {
        assertProblem(service.handle(post("application/cloudevents+json", ORDER_CREATED).bodyTooLarge(true).build()),
                413, "4096");
        assertProblem(service.handle(HttpRequest.builder("GET", "/events").build()), 405, "GET");
        CloudEventsHttpService guarded = CloudEventsHttpService.create(board, ApiKeys.of("events-key-0123456789"), 4096);
        HttpResponse r = guarded.handle(post("application/cloudevents+json", ORDER_CREATED).build());
        assertProblem(r, 401, "API key");
        assertThat(guarded.handle(post("application/cloudevents+json", ORDER_CREATED)
                .header("X-API-Key", "events-key-0123456789").build()).status()).isEqualTo(202);
    }

    @Test
    void handlerFailuresBecomeStatuses() throws Exception {
        board.onCloudEvent("order.created", e -> {
            throw new SwitchboardException(ErrorCode.CONFLICT, "order 76272727 exists");
        });
        assertProblem(service.handle(post("application/cloudevents+json", ORDER_CREATED).build()), 409, "exists");
        board.onCloudEvent("order.created", e -> {
            throw new IllegalStateException("database is down: secret detail");
        });
        HttpResponse r = service.handle(post("application/cloudevents+json", ORDER_CREATED).build());
        assertProblem(r, 500, "internal error");
        assertThat(r.bodyText()).doesNotContain("secret detail");
    }
}
