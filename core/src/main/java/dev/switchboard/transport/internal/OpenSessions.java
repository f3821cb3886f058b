package dev.switchboard.transport.internal;

import dev.switchboard.CloseCodes;
import dev.switchboard.spi.TransportSession;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sessions a transport has open, so that shutting it down can close them with 1001 and wait for
 * their close handshakes, and refuse sessions that open meanwhile. Thread-safe. Used by every transport;
 * not an API.
 *
 * @param <S> the transport's session type
 */
public final class OpenSessions<S extends TransportSession> {
    private final Set<S> sessions = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;

    /** Creates an empty registry. */
    public OpenSessions() {
    }

    /**
     * @param session a session that just opened
     * @return false when shutting down; the caller then closes the session with 1001
     */
    public boolean add(S session) {
        sessions.add(session);
        // Re-check after adding: closeAll either saw this session or we see its flag.
        if (closing) {
            sessions.remove(session);
            return false;
        }
        return true;
    }

    /** @param session a session that closed */
    public void remove(S session) {
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

    /** @return the open sessions, a snapshot */
    public List<S> snapshot() {
        return List.copyOf(sessions);
    }

    /** @return whether {@link #closeAll} was called */
    public boolean closing() {
        return closing;
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
        for (S s : List.copyOf(sessions)) {
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
