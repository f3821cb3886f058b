package dev.switchboard.internal;

import dev.switchboard.ClusterTrust;
import dev.switchboard.spi.Outbound;
import java.util.ArrayList;
import java.util.List;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import javax.crypto.Mac;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs the bytes a node hands to its backplane and verifies what it receives, with the keys of a
 * {@link ClusterTrust}. A signed message is the original bytes behind a header:
 *
 * <pre>#sbsig1 &lt;keyId&gt; &lt;millis&gt; &lt;mac&gt; &lt;message&gt;</pre>
 *
 * where {@code mac} is base64url (no padding) of HMAC-SHA256, under the key of that id, over the header up to
 * and including the space after {@code millis}, followed by the message: so the key id, the time stamp and
 * every byte of the message (which names the sending node) are covered. Verification happens before
 * anything else reads the message; the MAC is compared in constant time. A message whose time stamp lies
 * more than {@link ClusterTrust#maxAge()} from this node's clock is dropped as a replay. Thread-safe (one
 * {@link Mac} per key and thread).
 */
final class ClusterSigner {
    private static final Logger log = LoggerFactory.getLogger(ClusterSigner.class);
    private static final byte[] PREFIX = "#sbsig1 ".getBytes(StandardCharsets.US_ASCII);
    private static final int MAC_CHARS = 43;
    /** The longest key id and time stamp read from a header. */
    private static final int MAX_FIELD = 24;
    private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    /**
     * A received message admitted by the signer.
     *
     * @param message the bytes without the signature header
     * @param trusted true when its signature was verified, or when this node holds no key (and so trusts
     *     every message, as before signing existed); false for an unsigned message admitted by
     *     {@link ClusterTrust#acceptUnsigned()} while a cluster moves to signing
     */
    record Admitted(byte[] message, boolean trusted) { }

    private final ClusterTrust trust;
    private final LongSupplier clock;
    private final Supplier<String> node;
    private final ThreadLocal<Map<String, Mac>> macs = ThreadLocal.withInitial(HashMap::new);
    private final AtomicLong untrusted = new AtomicLong();
    private volatile long lastWarn;

    /**
     * @param trust the keys
     * @param clock the current time in milliseconds since 1970
     * @param node names the node in log lines
     */
    ClusterSigner(ClusterTrust trust, LongSupplier clock, Supplier<String> node) {
        this.trust = trust;
        this.clock = clock;
        this.node = node;
    }

    /** @return true when this node signs and verifies */
    boolean signs() {
        return trust.signs();
    }

    /** @param backplane the backplane's name: logs once that the cluster is open when this node has no key */
    void warnIfUnauthenticated(String backplane) {
        if (!trust.signs() && !"in-memory".equals(backplane)) {
            log.warn("The cluster is unauthenticated: node {} neither signs nor verifies its {} backplane messages, "
                    + "so anyone who can publish there can reach its clients; set a cluster key (ClusterTrust, "
                    + "docs/security.md)", node.get(), backplane);
        }
    }

    /** @return how many bytes signing adds to a message, at most */
    int overhead() {
        return trust.signs() ? PREFIX.length + 8 + 1 + 20 + 1 + MAC_CHARS + 1 : 0;
    }

    /** @return how many received messages were dropped as unsigned, badly signed or out of time */
    long untrusted() {
        return untrusted.get();
    }

    /**
     * @param message bytes to publish
     * @return them behind a signature header, or as they are when this node has no key
     */
    byte[] sign(byte[] message) {
        if (!trust.signs()) {
            return message;
        }
        byte[] header = (new String(PREFIX, StandardCharsets.US_ASCII) + trust.keyId() + ' ' + clock.getAsLong() + ' ')
                .getBytes(StandardCharsets.US_ASCII);
        Mac mac = mac(trust.keyId());
        mac.update(header);
        mac.update(message);
        byte[] tag = Base64.getUrlEncoder().withoutPadding().encode(mac.doFinal());
        byte[] out = new byte[header.length + tag.length + 1 + message.length];
        System.arraycopy(header, 0, out, 0, header.length);
        System.arraycopy(tag, 0, out, header.length, tag.length);
        out[header.length + tag.length] = ' ';
        System.arraycopy(message, 0, out, header.length + tag.length + 1, message.length);
        return out;
    }

    /**
     * @param batch messages to hand to the adapter
     * @return them signed (the same list when this node has no key)
     */
    List<Outbound> sign(List<Outbound> batch) {
        if (!trust.signs()) {
            return batch;
        }
        List<Outbound> out = new ArrayList<>(batch.size());
        for (Outbound o : batch) {
            out.add(new Outbound(o.target(), sign(o.message())));
        }
        return out;
    }

    /**
     * Verifies a received message before anything else reads it.
     *
     * @param message the bytes as received
     * @return the message without its header, or null when it is dropped (counted, and logged at most
     *     every 10 s)
     */
    Admitted admit(byte[] message) {
        boolean signed = message.length > PREFIX.length && Arrays.equals(message, 0, PREFIX.length, PREFIX, 0, PREFIX.length);
        if (!signed) {
            if (trust.acceptUnsigned()) {
                return new Admitted(message, !trust.signs());
            }
            drop("an unsigned message (every node of this cluster must sign: set the same cluster key on it)");
            return null;
        }
        int idEnd = space(message, PREFIX.length);
        int timeEnd = idEnd < 0 ? -1 : space(message, idEnd + 1);
        int macEnd = timeEnd < 0 ? -1 : timeEnd + 1 + MAC_CHARS;
        if (macEnd < 0 || macEnd >= message.length || message[macEnd] != ' ') {
            if (!trust.signs()) {
                return new Admitted(message, true); // refused by the decoder, as any garbage
            }
            drop("a message with a malformed signature header");
            return null;
        }
        byte[] payload = Arrays.copyOfRange(message, macEnd + 1, message.length);
        if (!trust.signs()) {
            // Without a key every message is trusted as before; a signed one is read as if unsigned.
            return new Admitted(payload, true);
        }
        String keyId = new String(message, PREFIX.length, idEnd - PREFIX.length, StandardCharsets.US_ASCII);
        Mac mac = mac(keyId);
        if (mac == null) {
            drop("a message signed with key " + keyId + ", which this node does not hold (it holds "
                    + trust.acceptedKeyIds() + ")");
            return null;
        }
        mac.update(message, 0, timeEnd + 1);
        mac.update(payload);
        byte[] expected = Base64.getUrlEncoder().withoutPadding().encode(mac.doFinal());
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(message, timeEnd + 1, macEnd))) {
            drop("a message whose signature does not match (altered, or signed with another secret of id " + keyId + ")");
            return null;
        }
        long sent;
        try {
            sent = Long.parseLong(new String(message, idEnd + 1, timeEnd - idEnd - 1, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            drop("a signed message with a malformed time stamp");
            return null;
        }
        long off = clock.getAsLong() - sent;
        if (Math.abs(off) > trust.maxAge().toMillis()) {
            drop("a signed message stamped " + Math.abs(off) + " ms " + (off > 0 ? "ago" : "ahead") + ", beyond maxAge "
                    + trust.maxAge() + " (a replay, or clocks apart)");
            return null;
        }
        return new Admitted(payload, true);
    }

    /**
     * Counts and logs (at most every 10 s) a received message that is dropped for want of trust.
     *
     * @param what what it was, for the log
     */
    void drop(String what) {
        long total = untrusted.incrementAndGet();
        long now = System.nanoTime();
        if (total == 1 || now - lastWarn > WARN_EVERY_NANOS) {
            lastWarn = now;
            log.warn("Node {} dropped {} from the backplane; {} untrusted message(s) dropped so far", node.get(), what,
                    total);
        }
    }

    private static int space(byte[] m, int from) {
        int end = Math.min(m.length, from + MAX_FIELD + 1);
        for (int i = from; i < end; i++) {
            if (m[i] == ' ') {
                return i > from ? i : -1;
            }
        }
        return -1;
    }

    private Mac mac(String keyId) {
        Map<String, Mac> mine = macs.get();
        Mac mac = mine.get(keyId);
        if (mac == null) {
            mac = trust.newMac(keyId);
            if (mac == null) {
                return null;
            }
            mine.put(keyId, mac);
        }
        return mac;
    }
}
