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

    /** @return an authenticator that lets everyone in as {@link Identity#anonymous()} (the default) */
    static Authenticator anonymous() {
        return handshake -> Identity.anonymous();
    }
}
