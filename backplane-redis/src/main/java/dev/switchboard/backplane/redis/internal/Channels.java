package dev.switchboard.backplane.redis.internal;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pub/sub channel names of one backplane: {@code <prefix>:all} for broadcasts and
 * {@code <prefix>:node:<nodeId>} per node. On Redis Cluster the prefix is wrapped in a hash tag
 * ({@code {<prefix>}:all}, {@code {<prefix>}:node:<nodeId>}), so that every channel of one prefix lives in
 * one slot: every publish of a node then travels over one connection to one master, which keeps a node's
 * broadcasts and directed messages in publish order; with sharded pub/sub each node needs one shard
 * connection, and Lettuce can renew both subscriptions with one {@code SSUBSCRIBE} (a multi-channel
 * {@code SSUBSCRIBE} across slots fails with CROSSSLOT).
 */
public final class Channels {
    private static final int MAX_CACHED = 4096;

    private final String base;
    private final byte[] all;
    private volatile byte[] own;
    private final Map<String, byte[]> nodes = new ConcurrentHashMap<>();

    /**
     * @param prefix the channel prefix
     * @param nodeId this node's id
     * @param cluster whether the channels live on Redis Cluster (hash-tagged)
     */
    public Channels(String prefix, String nodeId, boolean cluster) {
        this.base = cluster ? "{" + prefix + "}" : prefix;
        this.all = utf8(base + ":all");
        this.own = node(nodeId);
    }

    /** @return the broadcast channel */
    public byte[] all() {
        return all;
    }

    /** @return this node's channel */
    public byte[] own() {
        return own;
    }

    /**
     * @param nodeId this node's new id
     * @return the old own channel
     */
    public byte[] rename(String nodeId) {
        byte[] old = own;
        own = node(nodeId);
        return old;
    }

    /** @param nodeId a node @return its channel */
    public byte[] node(String nodeId) {
        byte[] c = nodes.get(nodeId);
        if (c == null) {
            c = utf8(base + ":node:" + nodeId);
            if (nodes.size() < MAX_CACHED) {
                nodes.put(nodeId, c);
            }
        }
        return c;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return base + ":all, " + base + ":node:<id>";
    }
}
