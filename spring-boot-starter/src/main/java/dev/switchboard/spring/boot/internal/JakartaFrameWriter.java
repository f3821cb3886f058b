package dev.switchboard.spring.boot.internal;

import dev.switchboard.spi.EncodedFrame;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a Jakarta WebSocket container (Tomcat, Undertow): {@code getAsyncRemote().sendText}, which never
 * blocks. The frame's text is decoded once and shared, but the container encodes it again for every
 * connection: the Jakarta API has no way to write pre-encoded bytes as a text frame. Closing may write
 * blocking on these containers, so it runs on the given executor.
 */
final class JakartaFrameWriter implements FrameWriter {
    private static final Logger log = LoggerFactory.getLogger(JakartaFrameWriter.class);

    private final Session session;
    private final Executor closer;

    private JakartaFrameWriter(Session session, Executor closer) {
        this.session = session;
        this.closer = closer;
    }

    /**
     * @param nativeSession what Spring's session wraps
     * @param closer runs the (possibly blocking) close calls
     * @return a writer, or {@code null} when the session is not a Jakarta one
     */
    static FrameWriter tryCreate(Object nativeSession, Executor closer) {
        return nativeSession instanceof Session s ? new JakartaFrameWriter(s, closer) : null;
    }

    @Override
    public void send(EncodedFrame frame, Consumer<Throwable> done) {
        AtomicBoolean completed = new AtomicBoolean();
        Consumer<Throwable> once = failure -> {
            if (completed.compareAndSet(false, true)) {
                done.accept(failure);
            }
        };
        try {
            session.getAsyncRemote().sendText(frame.text(), result -> once.accept(result.isOK() ? null : result.getException()));
        } catch (RuntimeException e) {
            // e.g. IllegalStateException from a session that closed meanwhile
            once.accept(e);
        }
    }

    @Override
    public boolean sendBatch(List<EncodedFrame> frames, Consumer<Throwable> done) {
        return false; // Jakarta batching flushes blocking; one async send after the other instead
    }

    @Override
    public void close(int code, String reason) {
        closer.execute(() -> closeNow(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason)));
    }

    /** {@code sendPing} may block on these containers, so it runs on the executor. */
    @Override
    public boolean ping() {
        try {
            closer.execute(() -> {
                try {
                    session.getAsyncRemote().sendPing(ByteBuffer.allocate(0));
                } catch (IOException | RuntimeException e) {
                    log.debug("Ping failed for session {}", session.getId(), e);
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    @Override
    public void abort() {
        // Jakarta has no abort: the closest portable thing is an immediate close.
        closer.execute(() -> closeNow(new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION, "aborted")));
    }

    private void closeNow(CloseReason reason) {
        try {
            session.close(reason);
        } catch (IOException | RuntimeException e) {
            log.debug("Close failed for session {}", session.getId(), e);
        }
    }

    @Override
    public String kind() {
        return "jakarta-async";
    }
}
