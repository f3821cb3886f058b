package dev.switchboard;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The cluster as this node sees it: which nodes are alive, and questions answered by all of them.
 * Nodes announce themselves and send heartbeats through the backplane every
 * {@link SwitchboardOptions#clusterHeartbeat()}; a node unheard of for three periods is dropped from
 * {@link #nodes()}. A node that closes says so and leaves at once.
 *
 * <p>Queries go to every live node and complete when all have answered, or after
 * {@link SwitchboardOptions#clusterQueryTimeout()} with a partial answer that names the nodes that did
 * not answer ({@link ClusterAnswer#missing()}) — never with a bare timeout. They never fail because a
 * node died; they complete exceptionally only when this node is closed.
 */
public interface Cluster {

    /** @return this node's id */
    String nodeId();

    /** @return the ids of the live nodes, this one included */
    Set<String> nodes();

    /** @return the number of open connections on all live nodes */
    CompletableFuture<ClusterAnswer<Long>> connectionCount();

    /**
     * @param userId a user id
     * @return that user's connections on all live nodes
     */
    CompletableFuture<ClusterAnswer<List<ConnectionInfo>>> connectionsOfUser(String userId);

    /**
     * "Who is in the room": the connections in a topic on all live nodes.
     *
     * @param topic a topic
     * @return its connections
     */
    CompletableFuture<ClusterAnswer<List<ConnectionInfo>>> connectionsInTopic(String topic);

    /**
     * @return how many backplane messages this node refused since it started: garbage, or an envelope
     *     of a cluster protocol version it does not speak (each is logged)
     */
    long rejectedMessages();

    /**
     * @return how many backplane messages this node dropped since it started for want of trust: unsigned,
     *     signed with a key it does not hold, altered, or stamped too far from its clock (see
     *     {@link ClusterTrust}); always 0 on a node without a cluster key
     */
    default long untrustedMessages() {
        return 0;
    }
}
