package dev.switchboard.internal;

import dev.switchboard.TraceContext;
import dev.switchboard.spi.Tracing;
import org.slf4j.MDC;

/**
 * A span of the node's {@link Tracing} with its context made {@link TraceContext#current() current} and put in
 * the SLF4J MDC ({@value #TRACE_ID}, {@value #SPAN_ID}) on this thread, until {@link #close()} restores what was
 * there. With {@link Tracing#NONE} and no incoming context it costs nothing: {@link #NOOP}.
 */
final class TraceScope implements AutoCloseable {
    /** MDC key of the trace id. */
    static final String TRACE_ID = "trace_id";
    /** MDC key of the span id (the span handing the context on). */
    static final String SPAN_ID = "span_id";
    /** Nothing to trace and nothing to restore. */
    static final TraceScope NOOP = new TraceScope(null, null, null, null, null);

    private final Tracing.Span span;
    private final TraceContext context;
    private final TraceContext previous;
    private final String previousTraceId;
    private final String previousSpanId;

    private TraceScope(Tracing.Span span, TraceContext context, TraceContext previous, String previousTraceId,
                       String previousSpanId) {
        this.span = span;
        this.context = context;
        this.previous = previous;
        this.previousTraceId = previousTraceId;
        this.previousSpanId = previousSpanId;
    }

    /**
     * @param tracing the node's tracing
     * @param kind what the work is
     * @param name its event name or type
     * @param parent the incoming context, or {@code null}
     * @return the open scope; close it in a {@code finally}
     */
    static TraceScope open(Tracing tracing, Tracing.Kind kind, String name, TraceContext parent) {
        Tracing.Span span = null;
        if (tracing != Tracing.NONE) {
            try {
                span = tracing.start(kind, name, parent);
            } catch (RuntimeException e) {
                span = null; // a failing tracer must not fail the work
            }
        }
        TraceContext context = span != null && span.context() != null ? span.context() : parent;
        if (context == null && span == null) {
            return NOOP;
        }
        String previousTraceId = MDC.get(TRACE_ID);
        String previousSpanId = MDC.get(SPAN_ID);
        TraceContext previous = TraceContext.swap(context);
        if (context != null) {
            MDC.put(TRACE_ID, context.traceId());
            MDC.put(SPAN_ID, context.spanId());
        }
        return new TraceScope(span, context, previous, previousTraceId, previousSpanId);
    }

    /** @return the context of the work (the span's, else the incoming one), or {@code null} */
    TraceContext context() {
        return context;
    }

    /** @param error why the work failed */
    void failed(Throwable error) {
        if (span != null) {
            try {
                span.failed(error);
            } catch (RuntimeException ignored) {
                // a failing tracer must not fail the work
            }
        }
    }

    @Override
    public void close() {
        if (this == NOOP) {
            return;
        }
        TraceContext.swap(previous);
        put(TRACE_ID, previousTraceId);
        put(SPAN_ID, previousSpanId);
        if (span != null) {
            try {
                span.end();
            } catch (RuntimeException ignored) {
                // a failing tracer must not fail the work
            }
        }
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
