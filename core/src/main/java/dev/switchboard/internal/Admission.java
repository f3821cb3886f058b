package dev.switchboard.internal;

import dev.switchboard.ConnectionLimits;
import dev.switchboard.Identity;
import dev.switchboard.spi.Handshake;
import dev.switchboard.spi.HandshakeRefusedException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.ToIntFunction;

/**
 * Enforces a node's {@link ConnectionLimits}: a token bucket of handshakes per address and counts of
 * open connections per address (kept here), per user and in total (read from the registry). Checked
 * twice: at the handshake, which refuses with 429/503 before the upgrade, and when the connection opens,
 * which catches the few that raced through together. Thread-safe.
 */
final class Admission {
    /** Addresses whose buckets are kept at most; beyond it idle ones are dropped first, then all. */
    private static final int MAX_TRACKED_ADDRESSES = 100_000;

    private final ConnectionLimits limits;
    private final Clock clock;
    private final IntSupplier total;
    private final ToIntFunction<String> ofUser;
    private final Map<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final Map<String, RateLimiter> handshakes = new ConcurrentHashMap<>();

    Admission(ConnectionLimits limits, Clock clock, IntSupplier total, ToIntFunction<String> ofUser) {
        this.limits = limits;
        this.clock = clock;
        this.total = total;
        this.ofUser = ofUser;
    }

    /** Before authentication: the handshake rate of the address, the node's and the address's counts. */
    void beforeAuthentication(Handshake handshake) {
        if (limits.isNone()) {
            return;
        }
        String address = address(handshake);
        if (limits.handshakesPerSecondPerAddress() > 0 && address != null) {
            if (handshakes.size() > MAX_TRACKED_ADDRESSES) {
                handshakes.clear(); // a flood of distinct addresses: forget the history rather than grow
            }
            RateLimiter bucket = handshakes.computeIfAbsent(address,
                    a -> new RateLimiter(limits.handshakesPerSecondPerAddress(), clock.millis()));
            boolean ok;
            synchronized (bucket) {
                ok = bucket.tryAcquire(clock.millis());
            }
            if (!ok) {
                throw HandshakeRefusedException.tooMany("too many connection attempts from this address",
                        Duration.ofSeconds(1));
            }
        }
        checkCounts(address, null, 0);
    }

    /** After authentication: the user's count. */
    void afterAuthentication(Identity identity) {
        if (limits.maxPerUser() > 0 && identity.userId() != null
                && ofUser.applyAsInt(identity.userId()) >= limits.maxPerUser()) {
            throw HandshakeRefusedException.tooMany("too many connections for this user", Duration.ofSeconds(5));
        }
    }

    /**
     * Counts a connection that opened (already in the registry).
     *
     * @return null when it may stay, else why it must be closed (it raced past the handshake check)
     */
    String opened(Handshake handshake, Identity identity) {
        String address = address(handshake);
        if (address != null && limits.maxPerAddress() > 0) {
            perAddress.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
        }
        try {
            checkCounts(address, identity.userId(), 1);
            return null;
        } catch (HandshakeRefusedException e) {
            return e.getMessage();
        }
    }

    /** Uncounts a connection that closed. */
    void closed(Handshake handshake) {
        String address = address(handshake);
        if (address != null && limits.maxPerAddress() > 0) {
            perAddress.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
        }
    }

    /** Forgets handshake buckets that have refilled: an address idle for a while costs nothing. */
    void sweep() {
        long now = clock.millis();
        handshakes.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                return e.getValue().isFull(now);
            }
        });
    }

    /** @param self 1 when the connection being checked is already counted */
    private void checkCounts(String address, String user, int self) {
        if (limits.maxConnections() > 0 && total.getAsInt() - self >= limits.maxConnections()) {
            throw HandshakeRefusedException.full("this server is full; try another or later");
        }
        if (limits.maxPerAddress() > 0 && address != null) {
            AtomicInteger n = perAddress.get(address);
            if (n != null && n.get() - self >= limits.maxPerAddress()) {
                throw HandshakeRefusedException.tooMany("too many connections from this address", Duration.ofSeconds(5));
            }
        }
        if (user != null && limits.maxPerUser() > 0 && ofUser.applyAsInt(user) - self >= limits.maxPerUser()) {
            throw HandshakeRefusedException.tooMany("too many connections for this user", Duration.ofSeconds(5));
        }
    }

    private static String address(Handshake handshake) {
        InetSocketAddress a = handshake.remoteAddress();
        if (a == null) {
            return null;
        }
        return a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
    }
}
