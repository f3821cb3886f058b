package dev.switchboard;

/**
 * What a node does when it finds another live node announcing its own node id on the backplane (a node
 * id copied into every replica's configuration, say). Until then the two would silently drop each
 * other's messages, since a node ignores what carries its own id. Either way the node logs an error
 * naming the id and the other node's address and start time, and reports the backplane down on
 * {@code /health} and in metrics while the conflict lasts. Of the two nodes, the one that started later
 * acts (on a tie, the one with the greater instance token); the other keeps its id.
 */
public enum DuplicateNodeIdAction {
    /** Leave the cluster: the backplane is closed and health stays down until the process restarts (default). */
    STOP,
    /**
     * Rejoin under a fresh id ({@code <id>-<4 hex digits>}); health recovers once the new id is live. Falls
     * back to {@link #STOP} on a backplane that cannot move its node channel.
     */
    REJOIN
}
