package dev.switchboard;

import java.util.Objects;
import java.util.Set;

/**
 * A connection somewhere in the cluster, as a cluster query reports it.
 *
 * @param id the connection id
 * @param node the node that holds it
 * @param userId its user, or null when anonymous
 * @param topics the topics it is in
 */
public record ConnectionInfo(String id, String node, String userId, Set<String> topics) {

    /** Validates and copies. */
    public ConnectionInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(node, "node");
        topics = Set.copyOf(topics);
    }
}
