package dev.switchboard;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A W3C Trace Context (<a href="https://www.w3.org/TR/trace-context/">trace-context</a>): the
 * {@code traceparent} ({@code 00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>}) and the vendor-specific
 * {@code tracestate}, as they arrive with an emit API call (HTTP headers), a CloudEvent (the distributed-tracing
 * extension) or a client's {@code emit}/{@code request} frame, and as they travel with the routed event through
 * the backplane to every node and into the delivered {@code event} frame.
 *
 * <p>While the core runs a handler for something that carried one, {@link #current()} returns it (with a
 * tracing module such as {@code switchboard-tracing-otel}: the handler's own span) and the SLF4J MDC holds
 * {@code trace_id} and {@code span_id}; an event emitted there carries it on. Immutable.
 *
 * @param traceparent the {@code traceparent} value, validated (lower-case hex, version {@code 00} to {@code fe},
 *     neither id all zeros)
 * @param tracestate the {@code tracestate} value, or {@code null}; at most 512 characters
 */
public record TraceContext(String traceparent, String tracestate) {
    private static final Pattern TRACEPARENT =
            Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}(-.*)?");
    private static final String ZERO_TRACE = "00000000000000000000000000000000";
    private static final String ZERO_SPAN = "0000000000000000";
    /** The longest {@code tracestate} kept (the W3C limit); a longer one is dropped. */
    public static final int MAX_TRACESTATE = 512;
    private static final ThreadLocal<TraceContext> CURRENT = new ThreadLocal<>();

    /**
     * Validates.
     *
     * @throws IllegalArgumentException for a malformed {@code traceparent} or an over-long {@code tracestate}
     */
    public TraceContext {
        Objects.requireNonNull(traceparent, "traceparent");
        if (!valid(traceparent)) {
            throw new IllegalArgumentException("not a W3C traceparent: " + traceparent);
        }
        if (tracestate != null && (tracestate.isBlank() || tracestate.length() > MAX_TRACESTATE)) {
            throw new IllegalArgumentException("tracestate must be 1 to " + MAX_TRACESTATE + " characters");
        }
    }

    /**
     * Reads what arrived, leniently, as the W3C recommends: a malformed {@code traceparent} is ignored (no
     * context), a malformed {@code tracestate} is dropped and the {@code traceparent} kept.
     *
     * @param traceparent the received value, or {@code null}
     * @param tracestate the received value, or {@code null}
     * @return the context, or empty when {@code traceparent} is missing or malformed
     */
    public static Optional<TraceContext> parse(String traceparent, String tracestate) {
        if (traceparent == null) {
            return Optional.empty();
        }
        String tp = traceparent.trim();
        if (!valid(tp)) {
            return Optional.empty();
        }
        String ts = tracestate == null ? null : tracestate.trim();
        if (ts != null && (ts.isEmpty() || ts.length() > MAX_TRACESTATE)) {
            ts = null;
        }
        return Optional.of(new TraceContext(tp, ts));
    }

    /**
     * @param traceId 32 lower-case hex digits
     * @param spanId 16 lower-case hex digits
     * @param sampled the sampled flag
     * @param tracestate the {@code tracestate}, or {@code null}
     * @return a version-00 context
     */
    public static TraceContext of(String traceId, String spanId, boolean sampled, String tracestate) {
        return new TraceContext("00-" + traceId + "-" + spanId + (sampled ? "-01" : "-00"), tracestate);
    }

    private static boolean valid(String tp) {
        return TRACEPARENT.matcher(tp).matches() && !tp.startsWith("ff")
                && !(tp.startsWith("00") && tp.length() != 55)
                && !tp.substring(3, 35).equals(ZERO_TRACE) && !tp.substring(36, 52).equals(ZERO_SPAN);
    }

    /** @return the trace id: 32 hex digits, the same across every service and node of the trace */
    public String traceId() {
        return traceparent.substring(3, 35);
    }

    /** @return the parent id: 16 hex digits naming the span this context was handed on from */
    public String spanId() {
        return traceparent.substring(36, 52);
    }

    /** @return whether the caller sampled (recorded) the trace */
    public boolean sampled() {
        return (Integer.parseInt(traceparent.substring(53, 55), 16) & 1) == 1;
    }

    /**
     * @return the trace context the core's handler running on this thread works under, if any: the one that
     *     arrived with the emit, request or CloudEvent being handled (or the tracing module's span for it)
     */
    public static Optional<TraceContext> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /**
     * Runs {@code task} with {@code context} as {@link #current()} on this thread, restoring the previous one
     * afterwards. The core does this around handlers; an application may do it around its own emits (a
     * consumer of a broker that carries {@code traceparent}).
     *
     * @param context the context, or {@code null} for none
     * @param task what to run
     */
    public static void runWith(TraceContext context, Runnable task) {
        TraceContext previous = CURRENT.get();
        set(context);
        try {
            task.run();
        } finally {
            set(previous);
        }
    }

    /**
     * Makes {@code context} current on this thread and returns the previous one, for callers that cannot wrap
     * a {@link Runnable}; they must restore it with {@code swap(previous)} in a {@code finally}.
     *
     * @param context the new current context, or {@code null}
     * @return the previous one, or {@code null}
     */
    public static TraceContext swap(TraceContext context) {
        TraceContext previous = CURRENT.get();
        set(context);
        return previous;
    }

    private static void set(TraceContext context) {
        if (context == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(context);
        }
    }
}
