package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.backplane.InMemoryBackplane;
import dev.switchboard.spi.Tracing;
import dev.switchboard.transport.InMemoryClient;
import dev.switchboard.transport.InMemoryTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * W3C trace context from a client's request on node A, through the handler (current context) and the
 * backplane, to the event frame a client of node B gets; and the {@link Tracing} hook's spans on the way.
 */
class TracePropagationTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String TP = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";
    private final InMemoryBackplane.Bus bus = InMemoryBackplane.bus();
    private final List<Switchboard> nodes = new ArrayList<>();

    @AfterEach
    void tearDown() {
        nodes.forEach(Switchboard::close);
    }

    private Switchboard node(String id, Tracing tracing) {
        Switchboard n = Switchboard.builder().options(SwitchboardOptions.builder().nodeId(id).build())
                .backplane(bus.backplane()).tracing(tracing).build();
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

    @Test
    void aRequestsTraceReachesItsHandlerAndTheEventsItEmitsOnEveryNode() throws Exception {
        Switchboard a = node("a", Tracing.NONE);
        Switchboard b = node("b", Tracing.NONE);
        CompletableFuture<String> seen = new CompletableFuture<>();
        a.onRequest("order", (conn, data) -> {
            seen.complete(TraceContext.current().map(TraceContext::traceparent).orElse("none"));
            a.to(Audience.topic("room")).emit("ordered", data);
            return "ok";
        });
        InMemoryClient onA = client(a);
        InMemoryClient onB = client(b);

        onA.send("{\"type\":\"request\",\"id\":1,\"event\":\"order\",\"traceparent\":\"" + TP
                + "\",\"tracestate\":\"congo=t61rcWkgMzE\",\"data\":{\"n\":1}}");

        assertThat(seen.get(5, TimeUnit.SECONDS)).isEqualTo(TP);
        JsonNode delivered = next(onB, "event");
        assertThat(delivered.path("traceparent").asText()).isEqualTo(TP);
        assertThat(delivered.path("tracestate").asText()).isEqualTo("congo=t61rcWkgMzE");
        assertThat(next(onA, "event").path("traceparent").asText()).isEqualTo(TP);
        // Outside handlers nothing is current, and a plain emit carries no trace.
        b.to(Audience.topic("room")).emit("plain", 1);
        assertThat(next(onB, "event").has("traceparent")).isFalse();
    }

    @Test
    void theTracingHookGetsSpansForTheHandlerThePublishAndTheDeliveryOnTheOtherNode() throws Exception {
        RecordingTracing onA = new RecordingTracing("a");
        RecordingTracing onB = new RecordingTracing("b");
        Switchboard a = node("a", onA);
        Switchboard b = node("b", onB);
        a.on("say", (conn, data) -> a.to(Audience.topic("room")).emit("said", data));
        InMemoryClient clientA = client(a);
        InMemoryClient clientB = client(b);

        clientA.send("{\"type\":\"emit\",\"event\":\"say\",\"traceparent\":\"" + TP + "\",\"data\":\"hi\"}");

        JsonNode delivered = next(clientB, "event");
        TraceContext frame = TraceContext.parse(delivered.path("traceparent").asText(), null).orElseThrow();
        assertThat(frame.traceId()).isEqualTo(TRACE_ID);
        // The handler's span is the publish span's parent; the frame names the publish span.
        assertThat(onA.spans).containsExactly("EMIT_HANDLER say parent=00f067aa0ba902b7",
                "PUBLISH said parent=a000000000000001");
        assertThat(frame.spanId()).isEqualTo("a000000000000002");
        next(clientA, "event");
        assertThat(onB.spans).containsExactly("DELIVER deliver parent=a000000000000002");
    }

    /** Spans with ids {@code <node letter>00…0<n>} in the incoming trace, recorded as "KIND name parent=id". */
    private static final class RecordingTracing implements Tracing {
        final List<String> spans = new CopyOnWriteArrayList<>();
        private final String prefix;
        private int next;

        RecordingTracing(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public synchronized Span start(Kind kind, String name, TraceContext parent) {
            spans.add(kind + " " + name + " parent=" + (parent == null ? "none" : parent.spanId()));
            String id = prefix + String.format("%015x", ++next);
            TraceContext mine = TraceContext.of(parent.traceId(), id, true, null);
            return new Span() {
                @Override
                public TraceContext context() {
                    return mine;
                }

                @Override
                public void failed(Throwable error) {
                }

                @Override
                public void end() {
                }
            };
        }
    }
}
