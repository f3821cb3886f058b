package dev.switchboard.spi;

import dev.switchboard.Identity;
import java.util.Map;

/**
 * Decides who a client of a plain WebSocket endpoint is, once, at the handshake, with the values of the
 * endpoint's path variables: for {@code /chat/{name}} and a request to {@code /chat/Alice?age=20},
 * {@code pathVariables} is {@code {name=Alice}} and {@code handshake.queryParam("age")} is {@code "20"}.
 * Runs on the transport's upgrade thread before the upgrade; it may do quick I/O but should not block
 * for long.
 */
@FunctionalInterface
public interface PlainAuthenticator {

    /**
     * @param handshake the upgrade request: path, query, headers
     * @param pathVariables the endpoint's path variables, decoded (empty when the template has none)
     * @return the client's identity; {@link Identity#anonymous()} for an anonymous client
     * @throws AuthenticationException to refuse the connection with 401 or 403 before the upgrade
     */
    Identity authenticate(Handshake handshake, Map<String, String> pathVariables);

    /** @return an authenticator that lets everyone in as {@link Identity#anonymous()} */
    static PlainAuthenticator anonymous() {
        return (handshake, pathVariables) -> Identity.anonymous();
    }
}
