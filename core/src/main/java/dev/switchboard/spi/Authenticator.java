package dev.switchboard.spi;

import dev.switchboard.Identity;

/**
 * Decides who a client is, once, at the handshake. Runs on the transport's upgrade thread before the
 * connection is upgraded; it may do quick I/O (a token check) but should not block for long.
 */
@FunctionalInterface
public interface Authenticator {

    /**
     * @param handshake the upgrade request: path, query, headers (see {@link Handshake#bearerToken()})
     * @return the client's identity; {@link Identity#anonymous()} for an anonymous client
     * @throws AuthenticationException to refuse the connection with 401 or 403
     */
    Identity authenticate(Handshake handshake);

    /**
     * Checks a fresh token a connected client sent in an {@code auth} frame, before its current one
     * expires. The node then requires the same user id (else {@code forbidden}) and replaces the
     * connection's identity (roles and organisations included) and expiry. Runs on a handler thread;
     * may block briefly (a JWKS fetch).
     *
     * @param current the connection's identity now
     * @param token the fresh token, never logged
     * @return the identity the token proves
     * @throws AuthenticationException {@code unauthorized} for a bad token (the connection stays as it
     *     was until its expiry); the default refuses every refresh
     */
    default Identity refresh(Identity current, String token) {
        throw AuthenticationException.unauthorized("this server does not accept token refresh");
    }

    /** @return an authenticator that lets everyone in as {@link Identity#anonymous()} (the default) */
    static Authenticator anonymous() {
        return handshake -> Identity.anonymous();
    }
}
