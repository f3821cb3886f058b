package dev.switchboard.backplane.kafka.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Kafka topic names for the backplane: Kafka allows {@code [a-zA-Z0-9._-]} and at most 249 characters, while
 * durable topics and namespaces may hold any character. Letters, digits and {@code -} are kept; every other
 * character becomes {@code _} and two hex digits per UTF-8 byte, so distinct names stay distinct. A name too
 * long after escaping keeps its first part and ends with a hash of the whole.
 */
public final class TopicNames {
    /** Kafka's limit on a topic name's length. */
    static final int MAX_LENGTH = 249;

    private TopicNames() {
    }

    /**
     * @param namespace the backplane's namespace
     * @param topic a durable topic
     * @return the Kafka topic holding its history
     */
    public static String history(String namespace, String topic) {
        return fit(escape(namespace) + ".history." + escape(topic));
    }

    /** @param name any string @return it with only Kafka's legal characters, reversibly */
    public static String escape(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 8);
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-') {
                sb.append(c);
            } else {
                sb.append('_').append(HexFormat.of().toHexDigits(b));
            }
        }
        return sb.toString();
    }

    private static String fit(String name) {
        if (name.length() <= MAX_LENGTH) {
            return name;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            String suffix = "-h" + HexFormat.of().formatHex(hash, 0, 12);
            return name.substring(0, MAX_LENGTH - suffix.length()) + suffix;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
