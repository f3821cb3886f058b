package dev.switchboard.tracing.otel;

import dev.switchboard.TraceContext;
import dev.switchboard.spi.Tracing;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * OpenTelemetry spans for a Switchboard node:
 *
 * <pre>{@code
 * Switchboard board = Switchboard.builder().tracing(OtelTracing.create(openTelemetry)).build();
 * }</pre>
 *
 * <table>
 *   <caption>Spans</caption>
 *   <tr><th>work</th><th>span name</th><th>kind</th></tr>
 *   <tr><td>a client's {@code request} handled by {@code onRequest}</td><td>{@code request <event>}</td><td>SERVER</td></tr>
 *   <tr><td>a client's {@code emit} handled by {@code on}</td><td>{@code emit <event>}</td><td>CONSUMER</td></tr>
 *   <tr><td>a CloudEvent handled by {@code onCloudEvent}</td><td>{@code cloudevent <type>}</td><td>CONSUMER</td></tr>
 *   <tr><td>an event routed in a trace (delivered here, published to the other nodes)</td><td>{@code publish <event>}</td><td>PRODUCER</td></tr>
 *   <tr><td>a traced event another node routed, delivered here</td><td>{@code deliver}</td><td>CONSUMER</td></tr>
 * </table>
 *
 * <p>A span's parent is the W3C trace context that came with the work ({@code traceparent} of the frame, the
 * emit API call or the CloudEvent), else the OpenTelemetry context current on the thread; handlers without
 * either start a new trace. While the application's handler runs, its span is OpenTelemetry's current span (so
 * the application's own instrumented calls join the trace) and Switchboard's
 * {@link TraceContext#current()}, which the events it emits carry to every node and client. Events routed
 * outside any trace get no span. Attributes: {@code messaging.system=switchboard},
 * {@code messaging.destination.name} (the event name or CloudEvent type). Thread-safe.
 */
public final class OtelTracing implements Tracing {
    /** The instrumentation scope name of the tracer. */
    public static final String INSTRUMENTATION_NAME = "dev.switchboard";
    private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final TextMapGetter<TraceContext> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(TraceContext carrier) {
            return List.of("traceparent", "tracestate");
        }

        @Override
        public String get(TraceContext carrier, String key) {
            if (carrier == null) {
                return null;
            }
            return switch (key) {
                case "traceparent" -> carrier.traceparent();
                case "tracestate" -> carrier.tracestate();
                default -> null;
            };
        }
    };

    private final Tracer tracer;

    private OtelTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    /**
     * @param openTelemetry the application's OpenTelemetry (the SDK it configured, or
     *     {@code GlobalOpenTelemetry.get()} under the Java agent)
     * @return the tracing hook for {@code Switchboard.builder().tracing(…)}
     */
    public static OtelTracing create(OpenTelemetry openTelemetry) {
        Objects.requireNonNull(openTelemetry, "openTelemetry");
        return new OtelTracing(openTelemetry.getTracer(INSTRUMENTATION_NAME));
    }

    @Override
    public Tracing.Span start(Kind kind, String name, TraceContext parent) {
        Context base = parent == null ? Context.current() : W3C.extract(Context.root(), parent, GETTER);
        io.opentelemetry.api.trace.Span span = tracer.spanBuilder(spanName(kind, name))
                .setParent(base)
                .setSpanKind(spanKind(kind))
                .setAttribute(SYSTEM, "switchboard")
                .setAttribute(DESTINATION, name)
                .startSpan();
        Context context = base.with(span);
        Scope scope = context.makeCurrent();
        return new OtelSpan(span, scope, toTraceContext(context));
    }

    private static String spanName(Kind kind, String name) {
        return switch (kind) {
            case REQUEST_HANDLER -> "request " + name;
            case EMIT_HANDLER -> "emit " + name;
            case CLOUD_EVENT_HANDLER -> "cloudevent " + name;
            case PUBLISH -> "publish " + name;
            case DELIVER -> "deliver";
        };
    }

    private static SpanKind spanKind(Kind kind) {
        return switch (kind) {
            case REQUEST_HANDLER -> SpanKind.SERVER;
            case PUBLISH -> SpanKind.PRODUCER;
            case EMIT_HANDLER, CLOUD_EVENT_HANDLER, DELIVER -> SpanKind.CONSUMER;
        };
    }

    /** @return the span's context as W3C headers, or {@code null} when it is not valid (a no-op SDK) */
    private static TraceContext toTraceContext(Context context) {
        if (!io.opentelemetry.api.trace.Span.fromContext(context).getSpanContext().isValid()) {
            return null;
        }
        Map<String, String> headers = new HashMap<>(2);
        W3C.inject(context, headers, Map::put);
        return TraceContext.parse(headers.get("traceparent"), headers.get("tracestate")).orElse(null);
    }

    /** One span, current on the thread that started it until it ends. */
    private static final class OtelSpan implements Tracing.Span {
        private final io.opentelemetry.api.trace.Span span;
        private final Scope scope;
        private final TraceContext context;

        OtelSpan(io.opentelemetry.api.trace.Span span, Scope scope, TraceContext context) {
            this.span = span;
            this.scope = scope;
            this.context = context;
        }

        @Override
        public TraceContext context() {
            return context;
        }

        @Override
        public void failed(Throwable error) {
            span.recordException(error);
            span.setStatus(StatusCode.ERROR);
        }

        @Override
        public void end() {
            scope.close();
            span.end();
        }
    }
}
