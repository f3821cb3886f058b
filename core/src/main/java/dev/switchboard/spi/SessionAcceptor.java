package dev.switchboard.spi;

import dev.switchboard.Identity;

/**
 * What a {@link Transport} talks to: the core's entry point for new connections. The
 * {@link dev.switchboard.Switchboard} node is one.
 */
public interface SessionAcceptor {

    /**
     * Authenticates an upgrade request before the transport upgrades it.
     *
     * @param handshake the upgrade request
     * @return the identity to open the connection with
     * @throws AuthenticationException to refuse with 401/403
     */
    Identity authenticate(Handshake handshake);

    /**
     * Opens a connection for an upgraded session. The core sends the {@code welcome} frame from here.
     *
     * @param session the transport's session
     * @param identity the identity {@link #authenticate} returned
     * @return the handler the transport feeds with this session's events
     */
    SessionHandler open(TransportSession session, Identity identity);

    /** @return the largest text frame accepted, in bytes; transports close bigger ones with 1009 */
    int maxFrameBytes();

    /** @return the sub-protocols the core speaks, most preferred first; empty for a plain endpoint */
    java.util.List<String> subProtocols();

    /**
     * Further endpoints a transport mounts beside its own: the node's plain WebSocket endpoints (see
     * {@link dev.switchboard.Switchboard#plainEndpoint}), by path template, each with the acceptor of its
     * connections. A transport reads them once, when it starts; the default is none.
     *
     * @return path template → acceptor, in registration order; never {@code null}
     */
    default java.util.Map<String, SessionAcceptor> plainEndpoints() {
        return java.util.Map.of();
    }
}
