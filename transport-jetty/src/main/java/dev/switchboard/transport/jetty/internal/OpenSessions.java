package dev.switchboard.transport.jetty.internal;

import dev.switchboard.CloseCodes;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sessions a {@link dev.switchboard.transport.jetty.JettyTransport} has open, so that closing the
 * transport can close them with 1001 and wait for their close handshakes. Thread-safe. Passed to the
 * endpoint through the endpoint configuration's user properties under {@link #USER_PROPERTY}.
 */
public final class OpenSessions {
    /** The user-property key under which the endpoint finds this registry. */
    public static final String USER_PROPERTY = "dev.switchboard.transport.jetty.openSessions";

    private final Set<CoreTransportSession> sessions = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;

    /**
     * @param session a session that just opened
     * @return false when the transport is closing; the caller then closes the session with 1001
     */
    boolean add(CoreTransportSession session) {
        sessions.add(session);
        // Re-check after adding: closeAll either saw this session or we see its flag.
        if (closing) {
            sessions.remove(session);
            return false;
        }
        return true;
    }

    /** @param session a session that closed */
    void remove(CoreTransportSession session) {
        if (sessions.remove(session) && closing) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /** @return how many sessions are open */
    public int size() {
        return sessions.size();
    }

    /**
     * Refuses new sessions, starts a 1001 close handshake on every open one and waits until they have
     * closed or the timeout passed. Blocks the caller for at most {@code timeout}.
     *
     * @param reason the close reason sent to clients
     * @param timeout the longest wait
     * @return the number of sessions still open when the wait ended
     */
    public int closeAll(String reason, Duration timeout) {
        closing = true;
        for (CoreTransportSession s : List.copyOf(sessions)) {
            s.close(CloseCodes.GOING_AWAY, reason);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            long left;
            while (!sessions.isEmpty() && (left = deadline - System.nanoTime()) > 0) {
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return sessions.size();
    }
}
