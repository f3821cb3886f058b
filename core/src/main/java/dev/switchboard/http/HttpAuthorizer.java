package dev.switchboard.http;

import dev.switchboard.Identity;
import dev.switchboard.spi.AuthenticationException;
import java.util.List;
import java.util.Objects;

/**
 * Decides who may call an HTTP service such as the emit API: API keys ({@link ApiKeys}), a JWT with a
 * scope, a network check — or several, with {@link #anyOf}. Implementations must be thread-safe and
 * must not block for long (they run on the request thread before the body is looked at).
 *
 * <pre>{@code
 * HttpAuthorizer keys = ApiKeys.builder().key("orders-service", System.getenv("EMIT_KEY")).build();
 * HttpAuthorizer either = HttpAuthorizer.anyOf(keys, request -> jwt.requireScope(request.bearerToken(), "emit"));
 * }</pre>
 */
@FunctionalInterface
public interface HttpAuthorizer {

    /**
     * @param request the request (its body must not be trusted yet)
     * @return the caller, e.g. {@code Identity.user("orders-service")}, for logs
     * @throws AuthenticationException {@code unauthorized} (HTTP 401) for missing or invalid credentials,
     *     {@code forbidden} (HTTP 403) for valid credentials that may not do this
     */
    Identity authorize(HttpRequest request);

    /** @return an authorizer that lets every request through as {@link Identity#anonymous()} */
    static HttpAuthorizer allowAll() {
        return request -> Identity.anonymous();
    }

    /**
     * Tries each in order: the first that accepts the request decides. When all refuse, the answer is
     * 403 if any of them recognised the credentials (refused with {@code forbidden}), else 401.
     *
     * @param authorizers the authorizers to try
     * @return the combined authorizer
     */
    static HttpAuthorizer anyOf(HttpAuthorizer... authorizers) {
        List<HttpAuthorizer> all = List.of(authorizers);
        if (all.isEmpty()) {
            throw new IllegalArgumentException("anyOf needs at least one authorizer");
        }
        return request -> {
            AuthenticationException forbidden = null;
            AuthenticationException unauthorized = null;
            for (HttpAuthorizer a : all) {
                try {
                    return Objects.requireNonNull(a.authorize(request), "authorizer returned null");
                } catch (AuthenticationException e) {
                    if (e.httpStatus() == 403) {
                        forbidden = forbidden == null ? e : forbidden;
                    } else {
                        unauthorized = unauthorized == null ? e : unauthorized;
                    }
                }
            }
            throw forbidden != null ? forbidden : unauthorized;
        };
    }
}
