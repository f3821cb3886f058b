package dev.switchboard.client;

import dev.switchboard.Identity;
import dev.switchboard.spi.AuthenticationException;
import dev.switchboard.spi.Authenticator;
import dev.switchboard.spi.Handshake;

/**
 * A test authenticator reading identities straight from the bearer token, formatted
 * {@code user[:role,role[:org,org]]}: {@code alice:admin:acme}. No token is anonymous; the token
 * {@code bad} is refused with 401 and {@code banned} with 403.
 */
final class TokenAuthenticator implements Authenticator {

    @Override
    public Identity authenticate(Handshake handshake) {
        String token = handshake.bearerToken();
        if (token == null) {
            return Identity.anonymous();
        }
        if (token.equals("bad")) {
            throw AuthenticationException.unauthorized("invalid token");
        }
        if (token.equals("banned")) {
            throw AuthenticationException.forbidden("banned");
        }
        String[] parts = token.split(":", -1);
        Identity.Builder b = Identity.builder(parts[0]);
        if (parts.length > 1 && !parts[1].isEmpty()) {
            b.roles(parts[1].split(","));
        }
        if (parts.length > 2 && !parts[2].isEmpty()) {
            b.organisations(parts[2].split(","));
        }
        return b.build();
    }
}
