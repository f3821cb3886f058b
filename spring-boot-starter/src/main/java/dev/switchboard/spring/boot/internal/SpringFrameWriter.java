package dev.switchboard.spring.boot.internal;

import dev.switchboard.spi.EncodedFrame;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * The fallback for a container whose native session is neither Jetty's nor a Jakarta one: Spring's
 * {@link WebSocketSession#sendMessage}, which blocks until written, run on the given executor so that
 * no container I/O thread and no core thread ever waits on it.
 */
final class SpringFrameWriter implements FrameWriter {
    private static final Logger log = LoggerFactory.getLogger(SpringFrameWriter.class);

    private final WebSocketSession session;
    private final Executor executor;

    SpringFrameWriter(WebSocketSession session, Executor executor) {
        this.session = session;
        this.executor = executor;
    }

    @Override
    public void send(EncodedFrame frame, Consumer<Throwable> done) {
        try {
            executor.execute(() -> {
                try {
                    session.sendMessage(new TextMessage(frame.text()));
                    done.accept(null);
                } catch (IOException | RuntimeException e) {
                    done.accept(e);
                }
            });
        } catch (RejectedExecutionException e) {
            done.accept(e);
        }
    }

    @Override
    public boolean sendBatch(List<EncodedFrame> frames, Consumer<Throwable> done) {
        return false;
    }

    @Override
    public void close(int code, String reason) {
        run(() -> session.close(new CloseStatus(code, reason)));
    }

    @Override
    public boolean ping() {
        try {
            executor.execute(() -> {
                try {
                    session.sendMessage(new PingMessage());
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
        run(() -> session.close(CloseStatus.SERVER_ERROR.withReason("aborted")));
    }

    private void run(IoAction action) {
        try {
            executor.execute(() -> {
                try {
                    action.run();
                } catch (IOException | RuntimeException e) {
                    log.debug("Close failed for session {}", session.getId(), e);
                }
            });
        } catch (RejectedExecutionException e) {
            log.debug("Close of session {} refused: shutting down", session.getId());
        }
    }

    @Override
    public String kind() {
        return "spring";
    }

    private interface IoAction {
        void run() throws IOException;
    }
}
