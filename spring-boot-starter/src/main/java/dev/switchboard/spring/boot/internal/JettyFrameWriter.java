package dev.switchboard.spring.boot.internal;

import dev.switchboard.spi.EncodedFrame;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * On Jetty: writes the shared pre-encoded bytes of a frame as one TEXT frame straight to Jetty's core
 * WebSocket session (no per-connection encoding), and hands a batch over at once, all but the last frame
 * marked batchable, so Jetty's flusher gathers them into one write. Only loaded when Jetty's WebSocket
 * classes are on the class path.
 */
final class JettyFrameWriter implements FrameWriter {
    private final CoreSession core;

    private JettyFrameWriter(CoreSession core) {
        this.core = core;
    }

    /**
     * @param nativeSession what Spring's session wraps
     * @return a writer, or {@code null} when the session is not Jetty's
     */
    static FrameWriter tryCreate(Object nativeSession) {
        return nativeSession instanceof WebSocketSession jetty ? new JettyFrameWriter(jetty.getCoreSession()) : null;
    }

    @Override
    public void send(EncodedFrame frame, Consumer<Throwable> done) {
        Completion completion = new Completion(1, done);
        try {
            core.sendFrame(new Frame(OpCode.TEXT, true, frame.buffer()), completion, false);
        } catch (RuntimeException e) {
            completion.failed(e);
        }
    }

    @Override
    public boolean sendBatch(List<EncodedFrame> frames, Consumer<Throwable> done) {
        int n = frames.size();
        Completion completion = new Completion(n, done);
        try {
            for (int i = 0; i < n; i++) {
                core.sendFrame(new Frame(OpCode.TEXT, true, frames.get(i).buffer()), completion, i < n - 1);
            }
        } catch (RuntimeException e) {
            completion.failed(e);
        }
        return true;
    }

    @Override
    public void close(int code, String reason) {
        core.close(code, reason, Callback.NOOP);
    }

    /** Jetty's flusher queues the ping next to a frame in flight. */
    @Override
    public boolean ping() {
        try {
            core.sendFrame(new Frame(OpCode.PING), Callback.NOOP, false);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void abort() {
        core.abort();
    }

    @Override
    public String kind() {
        return "jetty-core";
    }

    /** Completes the core's callback exactly once: after every frame, or at the first failure. */
    private static final class Completion implements Callback {
        private final AtomicInteger remaining;
        private final AtomicBoolean done = new AtomicBoolean();
        private final Consumer<Throwable> callback;

        Completion(int frames, Consumer<Throwable> callback) {
            this.remaining = new AtomicInteger(frames);
            this.callback = callback;
        }

        @Override
        public void succeeded() {
            if (remaining.decrementAndGet() == 0 && done.compareAndSet(false, true)) {
                callback.accept(null);
            }
        }

        @Override
        public void failed(Throwable cause) {
            if (done.compareAndSet(false, true)) {
                callback.accept(cause);
            }
        }

        /** The core's completion only moves its queue on, so Jetty may run it on the selector thread. */
        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }
    }
}
