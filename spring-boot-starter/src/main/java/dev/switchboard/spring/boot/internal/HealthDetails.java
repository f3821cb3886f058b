package dev.switchboard.spring.boot.internal;

import dev.switchboard.Switchboard;
import dev.switchboard.spi.BackplaneHealth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The details of the {@code switchboard} health component, the same for Boot 3's and Boot 4's health APIs
 * and as the Jetty transport's {@code GET /health}: node, connections, backplane and cluster.
 */
public final class HealthDetails {

    private HealthDetails() {
    }

    /**
     * @param board the node
     * @return whether it is up (its backplane is, and it is not draining), and its details in a stable order
     */
    public static Snapshot of(Switchboard board) {
        BackplaneHealth backplane = board.backplaneHealth();
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("up", backplane.up());
        b.put("name", backplane.name());
        b.put("detail", backplane.detail());
        b.put("dropped", backplane.droppedMessages());
        Map<String, Object> cluster = new LinkedHashMap<>();
        cluster.put("nodes", List.copyOf(new TreeSet<>(board.cluster().nodes())));
        cluster.put("rejected", board.cluster().rejectedMessages());
        cluster.put("untrusted", board.cluster().untrustedMessages());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("node", board.nodeId());
        details.put("connections", board.connectionCount());
        details.put("draining", board.isDraining());
        details.put("backplane", b);
        details.put("cluster", cluster);
        return new Snapshot(backplane.up() && !board.isDraining(), details);
    }

    /**
     * @param up whether the node's backplane is up and the node is not draining
     * @param details node, connections, backplane, cluster
     */
    public record Snapshot(boolean up, Map<String, Object> details) {
    }
}
