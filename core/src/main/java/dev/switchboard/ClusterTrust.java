package dev.switchboard;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who may speak on the backplane: the shared secrets with which the nodes of a cluster sign every message
 * they exchange (HMAC-SHA256), so that someone who can merely publish to the backplane's channels, topics
 * or tables cannot inject events, requests or fake nodes. Immutable; the default, {@link #none()}, signs
 * nothing and accepts everything (the behaviour before signing existed).
 *
 * <pre>{@code
 * Switchboard.builder().backplane(redis)
 *     .clusterTrust(ClusterTrust.builder()
 *         .key(System.getenv("SWITCHBOARD_CLUSTER_KEY"))               // signs, and verifies
 *         .previousKeys(System.getenv("SWITCHBOARD_CLUSTER_KEY_OLD"))  // verifies only, during a rotation
 *         .build())
 * }</pre>
 *
 * <p>Each key is known by an id derived from it (a fingerprint, {@link #keyId()}), which travels with every
 * message so that the receiver picks the right key; the secrets themselves never leave the node and are
 * never logged. With a key set, a node drops and counts ({@link Cluster#untrustedMessages()}) every message
 * that is unsigned, signed with a key it does not hold, altered, or stamped more than {@link #maxAge()}
 * away from its own clock; {@link Builder#acceptUnsigned(boolean)} admits unsigned routed messages for the
 * time a cluster moves to signing (see {@code docs/security.md}).
 */
public final class ClusterTrust {
    /** The shortest secret accepted, in bytes of its UTF-8 form (as long as the HMAC-SHA256 output). */
    public static final int MIN_SECRET_BYTES = 32;
    private static final ClusterTrust NONE = new ClusterTrust(null, List.of(), false, Duration.ofMinutes(2));

    private final byte[] key;
    private final String keyId;
    private final Map<String, byte[]> accepted;
    private final boolean acceptUnsigned;
    private final Duration maxAge;

    private ClusterTrust(String key, List<String> previous, boolean acceptUnsigned, Duration maxAge) {
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge must be positive: " + maxAge);
        }
        if (key == null && !previous.isEmpty()) {
            throw new IllegalArgumentException("previous keys need a current key to sign with");
        }
        Map<String, byte[]> keys = new LinkedHashMap<>();
        if (key != null) {
            keys.put(idOf(secret(key)), secret(key));
        }
        for (String p : previous) {
            keys.putIfAbsent(idOf(secret(p)), secret(p));
        }
        this.key = key == null ? null : secret(key);
        this.keyId = key == null ? null : idOf(this.key);
        this.accepted = Collections.unmodifiableMap(keys);
        this.acceptUnsigned = key == null || acceptUnsigned;
        this.maxAge = maxAge;
    }

    private static byte[] secret(String s) {
        Objects.requireNonNull(s, "key");
        byte[] b = s.strip().getBytes(StandardCharsets.UTF_8);
        if (b.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("a cluster key must be at least " + MIN_SECRET_BYTES
                    + " bytes of random text (one is made by `openssl rand -base64 32`); this one has " + b.length);
        }
        return b;
    }

    /**
     * @param secret a secret
     * @return its id: 8 characters of base64url of SHA-256 over a fixed label and the secret
     */
    static String idOf(byte[] secret) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update("switchboard cluster key id\0".getBytes(StandardCharsets.US_ASCII));
            byte[] h = d.digest(secret);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(h).substring(0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** @return no keys: messages go unsigned and every message is accepted (the default) */
    public static ClusterTrust none() {
        return NONE;
    }

    /** @return a builder with no key */
    public static Builder builder() {
        return new Builder();
    }

    /** @return true when this node signs its messages (a key is set) */
    public boolean signs() {
        return key != null;
    }

    /** @return the id of the key this node signs with, or null without one */
    public String keyId() {
        return keyId;
    }

    /** @return the ids of every key this node verifies with: the current key first */
    public List<String> acceptedKeyIds() {
        return List.copyOf(accepted.keySet());
    }

    /** @return true when unsigned messages are admitted (always so without a key) */
    public boolean acceptUnsigned() {
        return acceptUnsigned;
    }

    /** @return how far a message's time stamp may be from this node's clock, either way */
    public Duration maxAge() {
        return maxAge;
    }

    /**
     * For the core's signer: a MAC over this node's key of that id; the secrets never leave this object.
     *
     * @param keyId a key id, as {@link #keyId()} or {@link #acceptedKeyIds()} name it
     * @return a fresh HMAC-SHA256 initialised with that key (not thread-safe), or null when this node holds
     *     no key of that id
     */
    public Mac newMac(String keyId) {
        byte[] secret = accepted.get(keyId);
        if (secret == null) {
            return null;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    /** @return the key ids and settings, never a secret */
    @Override
    public String toString() {
        return key == null ? "ClusterTrust[none]" : "ClusterTrust[key=" + keyId + ", accepted=" + accepted.keySet()
                + ", acceptUnsigned=" + acceptUnsigned + ", maxAge=" + maxAge + "]";
    }

    /** Builds a {@link ClusterTrust}; not thread-safe. */
    public static final class Builder {
        private String key;
        private final List<String> previous = new ArrayList<>();
        private boolean acceptUnsigned;
        private Duration maxAge = Duration.ofMinutes(2);

        private Builder() {
        }

        /**
         * @param secret the shared secret this node signs with (and verifies with): at least
         *     {@value ClusterTrust#MIN_SECRET_BYTES} bytes, the same on every node; null or blank for none
         * @return this
         */
        public Builder key(String secret) {
            this.key = secret == null || secret.isBlank() ? null : secret;
            return this;
        }

        /**
         * @param secrets earlier secrets still accepted when verifying, during a rotation; null or blank
         *     entries are skipped
         * @return this
         */
        public Builder previousKeys(String... secrets) {
            for (String s : secrets) {
                if (s != null && !s.isBlank()) {
                    previous.add(s);
                }
            }
            return this;
        }

        /**
         * @param v true to admit unsigned routed messages while a cluster moves to signing (default false:
         *     with a key, unsigned messages are dropped). Membership, cluster queries and liveness beats
         *     always need a signature once a key is set
         * @return this
         */
        public Builder acceptUnsigned(boolean v) {
            this.acceptUnsigned = v;
            return this;
        }

        /**
         * @param v how far a message's time stamp may lie from the receiver's clock, either way, before it
         *     is dropped as a replay (default 2 minutes); allow for the nodes' clock skew and for a
         *     prepared message's transaction
         * @return this
         */
        public Builder maxAge(Duration v) {
            this.maxAge = v;
            return this;
        }

        /**
         * @return the trust
         * @throws IllegalArgumentException when a secret is too short or previous keys have no current key
         */
        public ClusterTrust build() {
            return new ClusterTrust(key, previous, acceptUnsigned, maxAge);
        }
    }
}
