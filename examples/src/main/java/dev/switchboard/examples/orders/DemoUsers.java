package dev.switchboard.examples.orders;

import dev.switchboard.Identity;
import dev.switchboard.http.HttpRequest;
import dev.switchboard.spi.AuthenticationException;
import dev.switchboard.spi.Handshake;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The example's demo users and the only place that decides who a caller is, for the socket and for
 * the REST API alike. Demo only: the token is the user's id, as the chat example trusts a name, so
 * anyone can be anyone. A real application verifies a signed token here (see docs/security.md).
 */
final class DemoUsers {
    /** alice: admin at acme; bob: member at acme; carol: admin at globex. */
    static final Map<String, Identity> USERS = users(
            Identity.builder("alice").name("Alice Andersen").roles("admin").organisations("acme").build(),
            Identity.builder("bob").name("Bob Brown").roles("member").organisations("acme").build(),
            Identity.builder("carol").name("Carol Chen").roles("admin").organisations("globex").build());

    private DemoUsers() {
    }

    /** The socket's authenticator: {@code ?access_token=<user>} or {@code Authorization: Bearer <user>}. */
    static Identity identify(Handshake handshake) {
        return byToken(handshake.bearerToken());
    }

    /** The REST API's: {@code Authorization: Bearer <user>}. */
    static Identity identify(HttpRequest request) {
        return byToken(request.bearerToken());
    }

    private static Identity byToken(String token) {
        if (token == null || token.isBlank()) {
            throw AuthenticationException.unauthorized("sign in as a demo user: Authorization: Bearer alice");
        }
        Identity who = USERS.get(token.trim());
        if (who == null) {
            throw AuthenticationException.unauthorized("unknown demo user; try one of " + USERS.keySet());
        }
        return who;
    }

    /** @return the users as the page lists them */
    static List<Map<String, Object>> describe() {
        return USERS.values().stream().map(u -> Map.<String, Object>of("id", u.userId(), "name", u.name(),
                "organisations", u.organisations(), "roles", u.roles())).toList();
    }

    private static Map<String, Identity> users(Identity... all) {
        Map<String, Identity> m = new LinkedHashMap<>();
        for (Identity i : all) {
            m.put(i.userId(), i);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
