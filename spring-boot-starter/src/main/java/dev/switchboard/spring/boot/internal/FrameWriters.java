package dev.switchboard.spring.boot.internal;

import java.util.concurrent.Executor;
import org.springframework.util.ClassUtils;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

/**
 * Picks the best {@link FrameWriter} for a session: Jetty's core session (shared bytes, batched writes),
 * else the Jakarta asynchronous API, else Spring's blocking send off-thread. The class checks keep the
 * optional Jetty and Jakarta classes from being loaded where they are absent.
 */
final class FrameWriters {
    private static final ClassLoader LOADER = FrameWriters.class.getClassLoader();
    private static final boolean JETTY = ClassUtils.isPresent("org.eclipse.jetty.websocket.common.WebSocketSession", LOADER)
            && ClassUtils.isPresent("org.eclipse.jetty.websocket.core.CoreSession", LOADER);
    private static final boolean JAKARTA = ClassUtils.isPresent("jakarta.websocket.Session", LOADER);

    private FrameWriters() {
    }

    /**
     * @param session Spring's session
     * @param executor runs what may block (closing on Jakarta containers, every write of the fallback)
     * @return the writer
     */
    static FrameWriter forSession(WebSocketSession session, Executor executor) {
        Object nativeSession = session instanceof NativeWebSocketSession n ? n.getNativeSession() : null;
        FrameWriter writer = null;
        if (nativeSession != null && JETTY) {
            writer = JettyFrameWriter.tryCreate(nativeSession);
        }
        if (writer == null && nativeSession != null && JAKARTA) {
            writer = JakartaFrameWriter.tryCreate(nativeSession, executor);
        }
        return writer != null ? writer : new SpringFrameWriter(session, executor);
    }
}
