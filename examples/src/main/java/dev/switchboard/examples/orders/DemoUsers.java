package dev.switchboard.examples.orders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.ErrorCode;
import dev.switchboard.Identity;
import dev.switchboard.examples.auth.DemoLogin;
import dev.switchboard.http.HttpRequest;
import dev.switchboard.http.HttpResponse;
import dev.switchboard.http.HttpService;
import dev.switchboard.spi.AuthenticationException;
import dev.switchboard.spi.Authenticator;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The example's demo users and the one place that decides who a caller is, for the socket and the REST
 * API alike: the examples' signed demo tokens ({@link DemoLogin}), carrying each user's roles and
 * organisations, so the emit API's roles-within-organisations routing has something to route on.
 * {@code POST /demo/login {"user":"alice"}} signs a short-lived token for one of the three users; the
 * page sends it as a sub-protocol on the socket and as {@code Authorization: Bearer} to the API. Demo
 * only: anyone may pick any of the users. A real shop gets its tokens from its identity provider.
 */
final class DemoUsers {
    /** alice: admin at acme; bob: member at acme; carol: admin at globex. */
    static final Map<String, Identity> USERS = users(
            Identity.builder("alice").name("Alice Andersen").roles("admin").organisations("acme").build(),
            Identity.builder("bob").name("Bob Brown").roles("member").organisations("acme").build(),
            Identity.builder("carol").name("Carol Chen").roles("admin").organisations("globex").build());

    private final DemoLogin login = DemoLogin.create();
    private final ObjectMapper mapper;

    DemoUsers(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** @return the socket's authenticator: the demo tokens, and nothing else */
    Authenticator authenticator() {
        return login.authenticator();
    }

    /**
     * @param request a REST call
     * @return the caller its {@code Authorization: Bearer} token proves
     * @throws AuthenticationException (401) without a valid demo token
     */
    Identity identify(HttpRequest request) {
        String token = request.bearerToken();
        if (token == null) {
            throw AuthenticationException.unauthorized("sign in first: POST " + DemoLogin.PATH);
        }
        return login.authenticator().verify(token);
    }

    /** @return a token for a demo user, for tests */
    String token(String user) {
        Identity who = USERS.get(user);
        if (who == null) {
            throw new IllegalArgumentException("no demo user " + user);
        }
        return login.token(user, Map.of("name", who.name(), "roles", List.copyOf(who.roles()),
                "organisations", List.copyOf(who.organisations())));
    }

    /** @return {@code POST /demo/login {"user":"alice"}} → {@code {"token","expiresInSec"}} */
    HttpService loginService() {
        return request -> {
            if (!request.method().equals("POST")) {
                return HttpResponse.problem(405, ErrorCode.BAD_REQUEST, "use POST", null).withHeader("Allow", "POST");
            }
            String user;
            try {
                JsonNode body = mapper.readTree(request.body());
                user = body == null ? "" : body.path("user").asText("");
            } catch (IOException e) {
                user = "";
            }
            if (!USERS.containsKey(user)) {
                return HttpResponse.problem(400, ErrorCode.BAD_REQUEST, "pick one of the demo users " + USERS.keySet(),
                        "user");
            }
            return HttpResponse.json(200, mapper.createObjectNode().put("token", token(user))
                    .put("expiresInSec", login.lifetime().toSeconds()));
        };
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
