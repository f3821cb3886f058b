package dev.switchboard.spring.boot.internal;

import dev.switchboard.transport.internal.OpenSessions;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Closes every Switchboard WebSocket with 1001 ("server shutting down") when the application context
 * closes, and waits up to the shutdown timeout for the close handshakes, before the web server's own
 * graceful shutdown and stop (which run in lower phases). Upgrade requests arriving meanwhile get 503.
 * The node itself closes later, when its bean is destroyed.
 */
public final class SwitchboardShutdown implements SmartLifecycle {
    /** Stops after ordinary beans (message listeners that may still emit), before the web server. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;
    private static final Logger log = LoggerFactory.getLogger(SwitchboardShutdown.class);

    private final OpenSessions<SpringTransportSession> sessions;
    private final Duration timeout;
    private volatile boolean running;

    /**
     * @param sessions the endpoint's sessions
     * @param timeout the longest wait for close handshakes
     */
    public SwitchboardShutdown(OpenSessions<SpringTransportSession> sessions, Duration timeout) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public void start() {
        running = true;
    }

    /** Blocks the context's closing thread for at most the shutdown timeout. */
    @Override
    public void stop() {
        running = false;
        int open = sessions.size();
        int left = sessions.closeAll("server shutting down", timeout);
        if (open > 0) {
            log.info("Closed {} Switchboard WebSocket(s) with 1001{}", open - left,
                    left > 0 ? "; " + left + " did not finish the close handshake within " + timeout : "");
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
