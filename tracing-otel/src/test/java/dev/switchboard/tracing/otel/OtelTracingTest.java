package dev.switchboard.tracing.otel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Audience;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardOptions;
import dev.switchboard.TraceContext;
import dev.switchboard.backplane.InMemoryBackplane;
import dev.switchboard.transport.InMemoryClient;
import dev.switchboard.transport.InMemoryTransport;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one in-memory bus, each with {@link OtelTracing} over the SDK and its in-memory exporter: a
 * traced request on node A gives a server span (child of the caller's), a producer span for what its handler
 * emits, a consumer span on node B for the delivery, and the frame on B names the producer span.
 */
class OtelTracingTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";
    private static final String TP = "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01";

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(provider).build();
    private final InMemoryBackplane.Bus bus = InMemoryBackplane.bus();
    private final List<Switchboard> nodes = new ArrayList<>();

    @AfterEach
    void tearDown() {
        nodes.forEach(Switchboard::close);
        otel.close();
    }

    private Switchboard node(String id) {
        Switchboard n = Switchboard.builder().options(SwitchboardOptions.builder().nodeId(id).build())
                .backplane(bus.backplane()).tracing(OtelTracing.create(otel)).build();
        n.onConnect(conn -> conn.join("room"));
        nodes.add(n);
        return n;
    }

    private static InMemoryClient client(Switchboard node) {
        InMemoryClient c = InMemoryTransport.attach(node).connect();
        assertThat(c.nextFrame(WAIT).path("type").asText()).isEqualTo("welcome");
        return c;
    }

    private static JsonNode next(InMemoryClient c, String type) {
        for (int i = 0; i < 10; i++) {
            JsonNode f = c.nextFrame(WAIT);
            if (f.path("type").asText().equals(type)) {
                return f;
            }
        }
        throw new AssertionError("no " + type + " frame");
    }

    private SpanData span(String name) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (SpanData s : exporter.getFinishedSpanItems()) {
                if (s.getName().equals(name)) {
                    return s;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no span " + name + " in " + exporter.getFinishedSpanItems());
    }

    @Test
    void aTracedRequestGetsSpansOnBothNodesInTheCallersTrace() throws Exception {
        Switchboard a = node("a");
        Switchboard b = node("b");
        CompletableFuture<String> otelCurrent = new CompletableFuture<>();
        a.onRequest("order", (conn, data) -> {
            otelCurrent.complete(Span.current().getSpanContext().getSpanId());
            a.to(Audience.topic("room")).emit("ordered", data);
            return "ok";
        });
        InMemoryClient onA = client(a);
        InMemoryClient onB = client(b);

        onA.send("{\"type\":\"request\",\"id\":1,\"event\":\"order\",\"traceparent\":\"" + TP + "\",\"data\":1}");

        JsonNode delivered = next(onB, "event");
        SpanData request = span("request order");
        SpanData publish = span("publish ordered");
        SpanData deliver = span("deliver");
        assertThat(request.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(request.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(request.getParentSpanId()).isEqualTo(CALLER_SPAN);
        assertThat(otelCurrent.get(5, TimeUnit.SECONDS)).as("the handler's span is OpenTelemetry's current one")
                .isEqualTo(request.getSpanId());
        assertThat(publish.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(publish.getParentSpanId()).isEqualTo(request.getSpanId());
        assertThat(deliver.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(deliver.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(deliver.getParentSpanId()).isEqualTo(publish.getSpanId());

        TraceContext frame = TraceContext.parse(delivered.path("traceparent").asText(), null).orElseThrow();
        assertThat(frame.traceId()).isEqualTo(TRACE_ID);
        assertThat(frame.spanId()).isEqualTo(publish.getSpanId());
        assertThat(next(onA, "reply").path("data").asText()).isEqualTo("ok");
    }

    @Test
    void aHandlerWithoutIncomingTraceStartsOneAndAFailureMarksItsSpan() throws Exception {
        Switchboard a = node("a");
        a.on("say", (conn, data) -> a.to(Audience.topic("room")).emit("said", data));
        a.onRequest("boom", (conn, data) -> {
            throw new IllegalStateException("boom");
        });
        InMemoryClient c = client(a);

        c.send("{\"type\":\"emit\",\"event\":\"say\",\"data\":\"hi\"}");
        JsonNode said = next(c, "event");
        SpanData emit = span("emit say");
        assertThat(emit.getParentSpanContext().isValid()).isFalse();
        assertThat(TraceContext.parse(said.path("traceparent").asText(), null).orElseThrow().traceId())
                .isEqualTo(emit.getTraceId());

        c.send("{\"type\":\"request\",\"id\":2,\"event\":\"boom\"}");
        assertThat(next(c, "reply").path("error").path("code").asText()).isEqualTo("internal");
        SpanData boom = span("request boom");
        assertThat(boom.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(boom.getEvents()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("exception"));
    }
}
