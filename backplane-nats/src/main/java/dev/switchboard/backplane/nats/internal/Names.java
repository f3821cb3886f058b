package dev.switchboard.backplane.nats.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Subject and stream names of one namespace. Node ids and topics become one subject token and a stream
 * name: kept as they are when made of letters, digits, '_' and '-' (at most 64 characters), otherwise those
 * characters plus a hash of the whole name, so every name maps to its own token.
 *
 * @param namespace the first token(s) of every subject
 * @param streamPrefix the prefix of every stream name
 */
public record Names(String namespace, String streamPrefix) {

    /** @return the subject every node subscribes to */
    public String all() {
        return namespace + ".all";
    }

    /** @param nodeId a node id @return the node's own subject */
    public String node(String nodeId) {
        return namespace + ".node." + token(nodeId);
    }

    /** @param topic a durable topic @return the stream that holds its history */
    public String stream(String topic) {
        return streamPrefix + token(topic);
    }

    /** @param topic a durable topic @return the one subject of its stream */
    public String historySubject(String topic) {
        return namespace + ".history." + token(topic);
    }

    static String token(String name) {
        if (name.matches("[A-Za-z0-9_-]{1,64}")) {
            return name;
        }
        String kept = name.replaceAll("[^A-Za-z0-9_-]", "_");
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return kept.substring(0, Math.min(kept.length(), 40)) + "-" + HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
