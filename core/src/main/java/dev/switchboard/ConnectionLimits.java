package dev.switchboard;

/**
 * How many connections a node accepts, checked at the handshake before the upgrade: past a limit the
 * client gets HTTP 429 ({@code rate_limited}, with {@code Retry-After}) for its user or address, or
 * 503 ({@code unavailable}) when the node is full. Immutable; each limit 0 means none (the default, so
 * load tests from one address keep working: set what fits your deployment).
 *
 * <pre>{@code
 * Switchboard.builder().connectionLimits(ConnectionLimits.builder()
 *     .maxConnections(50_000).maxPerUser(20).maxPerAddress(200).handshakesPerSecondPerAddress(20)
 *     .build())
 * }</pre>
 *
 * <p>The address is the peer's IP as the transport reports it: behind a proxy that is the proxy, unless
 * the transport trusts forwarding headers. Many simultaneous handshakes may pass the check together; the
 * node counts again when each connection opens and closes the surplus at once with 1013.
 *
 * @param maxConnections open connections on this node (503 past it)
 * @param maxPerUser open connections of one user id on this node (429); anonymous clients are not
 *     counted here
 * @param maxPerAddress open connections from one IP address on this node (429)
 * @param handshakesPerSecondPerAddress upgrade attempts per second from one IP address, with bursts of
 *     twice that (429), counted before authentication, so a client cannot make the node verify tokens
 *     without end
 */
public record ConnectionLimits(int maxConnections, int maxPerUser, int maxPerAddress,
                               int handshakesPerSecondPerAddress) {
    private static final ConnectionLimits NONE = new ConnectionLimits(0, 0, 0, 0);

    /** Validates. */
    public ConnectionLimits {
        if (maxConnections < 0 || maxPerUser < 0 || maxPerAddress < 0 || handshakesPerSecondPerAddress < 0) {
            throw new IllegalArgumentException("connection limits must be >= 0 (0 = none)");
        }
    }

    /** @return no limits (the default) */
    public static ConnectionLimits none() {
        return NONE;
    }

    /** @return a builder with no limits */
    public static Builder builder() {
        return new Builder();
    }

    /** @return true when no limit is set */
    public boolean isNone() {
        return maxConnections == 0 && maxPerUser == 0 && maxPerAddress == 0 && handshakesPerSecondPerAddress == 0;
    }

    /** Builds {@link ConnectionLimits}; every limit defaults to 0 (none). */
    public static final class Builder {
        private int maxConnections;
        private int maxPerUser;
        private int maxPerAddress;
        private int handshakesPerSecondPerAddress;

        private Builder() {
        }

        /** @param v open connections on the node @return this */
        public Builder maxConnections(int v) { maxConnections = v; return this; }

        /** @param v open connections per user id @return this */
        public Builder maxPerUser(int v) { maxPerUser = v; return this; }

        /** @param v open connections per IP address @return this */
        public Builder maxPerAddress(int v) { maxPerAddress = v; return this; }

        /** @param v handshakes per second per IP address (bursts of twice that) @return this */
        public Builder handshakesPerSecondPerAddress(int v) { handshakesPerSecondPerAddress = v; return this; }

        /** @return validated limits */
        public ConnectionLimits build() {
            return new ConnectionLimits(maxConnections, maxPerUser, maxPerAddress, handshakesPerSecondPerAddress);
        }
    }
}
