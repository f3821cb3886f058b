package dev.switchboard.spring.boot.internal;

import dev.switchboard.Switchboard;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Drains the node when the application context closes ({@link Switchboard#drain}: upgrades get 503,
 * requests in flight finish within the shutdown timeout, every client is closed with 1012 and reconnects
 * to another node), then closes with 1001 any WebSocket left, before the web server's own graceful
 * shutdown and stop (which run in lower phases). The node leaves the cluster later, when its bean is
 * destroyed, so what the drain emitted still reaches the other nodes.
 */
public final class SwitchboardShutdown implements SmartLifecycle {
    /** Stops after ordinary beans (message listeners that may still emit), before the web server. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;
    private static final Logger log = LoggerFactory.getLogger(SwitchboardShutdown.class);

    private final Switchboard board;
    private final OpenSessions sessions;
    private final Duration timeout;
    private volatile boolean running;

    /**
     * @param board the node to drain
     * @param sessions the endpoint's sessions
     * @param timeout the drain deadline, and the longest wait for the close handshakes of what is left
     */
    public SwitchboardShutdown(Switchboard board, OpenSessions sessions, Duration timeout) {
        this.board = Objects.requireNonNull(board, "board");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public void start() {
        running = true;
    }

    /** Blocks the context's closing thread for at most twice the shutdown timeout, plus 2 s. */
    @Override
    public void stop() {
        running = false;
        board.drain(timeout);
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
