package dev.switchboard.internal;

import dev.switchboard.DuplicateNodeIdAction;
import dev.switchboard.spi.Backplane;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backplane pipeline's watch for a second live node with this node's id (issue 19): a beat with
 * this node's id and another instance's token. Of the two, the node that started later acts (leaves, or
 * rejoins under a fresh id, as {@link DuplicateNodeIdAction} says); the other keeps its id and is healthy
 * again once the twin's beats stop. Thread-safe.
 */
final class DuplicateIds {
    private static final Logger log = LoggerFactory.getLogger(DuplicateIds.class);

    /** Another live node with this node's id, as its beats describe it. */
    record Conflict(String nodeId, String instance, long startedAtMillis, String address, long seenAt) {
        /** @return where and since when the other node runs */
        String where() {
            return "at " + address + " (started " + Instant.ofEpochMilli(startedAtMillis) + ")";
        }
    }

    private final Beats beats;
    private final DuplicateNodeIdAction onDuplicate;
    private volatile Conflict conflict;

    DuplicateIds(Beats beats, DuplicateNodeIdAction onDuplicate) {
        this.beats = beats;
        this.onDuplicate = onDuplicate;
    }

    /** @return the other node with this node's id, while its beats come, else null */
    Conflict current() {
        return conflict;
    }

    /** The conflict is over (this node took a fresh id). */
    void clear() {
        conflict = null;
    }

    /**
     * @param b a beat to every node with this node's id, from another process
     * @param stopped true when this node already left the cluster
     * @return the conflict when this node must act on it now (it started later), else null
     */
    Conflict seen(Beats.Beat b, boolean stopped) {
        Conflict other = new Conflict(b.nodeId(), b.instance(), b.startedAtMillis(), b.address(), System.nanoTime());
        Conflict before = conflict;
        conflict = other;
        if (before != null || stopped) {
            return null;
        }
        long startedAtMillis = beats.startedAtMillis();
        boolean iAct = startedAtMillis > other.startedAtMillis()
                || (startedAtMillis == other.startedAtMillis() && beats.instance().compareTo(other.instance()) > 0);
        log.error("Node id {} is in use by another live node {}, this node started {}: the two would silently "
                + "drop each other's messages. {}", other.nodeId(), other.where(), Instant.ofEpochMilli(startedAtMillis),
                !iAct ? "That node started later and gives way; this one keeps its id."
                        : onDuplicate == DuplicateNodeIdAction.REJOIN ? "This node rejoins under a fresh id."
                        : "This node leaves the cluster (onDuplicateNodeId=STOP); give every node its own id.");
        return iAct ? other : null;
    }

    /**
     * Forgets a conflict whose beats stopped.
     *
     * @param now now
     * @param timeoutNanos how long the other node's beats may stay away
     */
    void expire(long now, long timeoutNanos) {
        Conflict c = conflict;
        if (c != null && now - c.seenAt() > timeoutNanos) {
            conflict = null;
            log.info("Node id {} is no longer announced by another node ({}); healthy again", c.nodeId(), c.address());
        }
    }

    /**
     * Moves this node to a fresh id when the action is {@link DuplicateNodeIdAction#REJOIN} and the adapter can.
     *
     * @param adapter the adapter
     * @param other the conflict
     * @return the fresh id, or null when this node must leave the cluster instead
     */
    String rejoin(Backplane adapter, Conflict other) {
        if (onDuplicate != DuplicateNodeIdAction.REJOIN) {
            return null;
        }
        String fresh = other.nodeId() + "-" + UUID.randomUUID().toString().substring(0, 4);
        try {
            if (adapter.rename(fresh)) {
                beats.forget(System.nanoTime());
                conflict = null;
                log.error("Node {} rejoined the cluster as {}", other.nodeId(), fresh);
                return fresh;
            }
        } catch (RuntimeException e) {
            log.warn("The {} backplane could not move node {} to {}", adapter.name(), other.nodeId(), fresh, e);
        }
        log.error("The {} backplane cannot move a node to a fresh id; node {} leaves the cluster instead",
                adapter.name(), other.nodeId());
        return null;
    }
}
