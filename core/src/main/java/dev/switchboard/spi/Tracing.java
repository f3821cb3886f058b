package dev.switchboard.spi;

import dev.switchboard.TraceContext;

/**
 * A tracing system's hook into the node (module {@code switchboard-tracing-otel} binds OpenTelemetry): the core
 * asks it for a span around each piece of work that carries or may carry a W3C trace context, and makes the
 * span's context {@link TraceContext#current() current} while the application's code runs, so that what the
 * handler emits carries it on. The default, {@link #NONE}, opens no span: the incoming context itself is made
 * current and handed on unchanged.
 *
 * <p>Implementations must be thread-safe, must not block, and must not throw: a failing tracer must not fail
 * a request.
 */
public interface Tracing {

    /** No spans: the incoming trace context is handed on as it came. */
    Tracing NONE = (kind, name, parent) -> null;

    /** What a span stands for. */
    enum Kind {
        /** A client's {@code emit} handled by {@code board.on(event, …)}. */
        EMIT_HANDLER,
        /** A client's {@code request} handled by {@code board.onRequest(event, …)}. */
        REQUEST_HANDLER,
        /** A CloudEvent handled by {@code board.onCloudEvent(type, …)} ({@code POST /events} or a broker). */
        CLOUD_EVENT_HANDLER,
        /** An event routed by this node: encoded, delivered here and published to the others. */
        PUBLISH,
        /** An event another node routed, delivered by this one to its connections. */
        DELIVER
    }

    /**
     * Starts a span. Called on the thread that does the work, which also ends it.
     *
     * @param kind what the work is
     * @param name the event name, request event or CloudEvent type
     * @param parent the trace context that came with the work, or {@code null} for none
     * @return the span, or {@code null} to trace nothing
     */
    Span start(Kind kind, String name, TraceContext parent);

    /** A started span. */
    interface Span {
        /** @return the span's own context, handed on to what the work emits; {@code null} to hand on the parent */
        TraceContext context();

        /** @param error why the work failed; called at most once, before {@link #end()} */
        void failed(Throwable error);

        /** Ends the span; called exactly once. */
        void end();
    }
}
