package dev.switchboard.auth.jwt;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.switchboard.Identity;
import dev.switchboard.auth.jwt.internal.AllowListKeySelector;
import dev.switchboard.auth.jwt.internal.ClaimPaths;
import dev.switchboard.auth.jwt.internal.VerifierFactory;
import dev.switchboard.spi.AuthenticationException;
import dev.switchboard.spi.Authenticator;
import dev.switchboard.spi.Handshake;
import java.net.MalformedURLException;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link Authenticator} for JSON Web Tokens, on nimbus-jose-jwt.
 *
 * <pre>{@code
 * JwtAuthenticator jwt = JwtAuthenticator.create(JwtAuthenticatorOptions.builder()
 *     .algorithms("RS256").jwksUri(URI.create("https://idp.example.com/certs"))
 *     .issuer("https://idp.example.com").audiences("switchboard").build());
 * Switchboard board = Switchboard.builder().authenticator(jwt).build();
 * // an HTTP endpoint, one call: Identity caller = jwt.requireScope(request.getHeader("Authorization"), "emit");
 * }</pre>
 *
 * <p>A token must be a JWS signed with an allowed algorithm by a known key (an RSA key never serves as
 * an HMAC secret; unsigned tokens are refused), carry the user id claim and {@code exp}, and pass
 * {@code iss}, {@code aud}, {@code exp} and {@code nbf} within the clock skew. The identity is the user
 * id, a display name, the roles and organisations found under the configured claim paths (Keycloak's
 * {@code realm_access.roles} among the defaults), every claim, and {@code exp} plus the clock skew as
 * {@link Identity#expiresAt()}: the node closes the connection with 4001 then, unless the client sent a
 * fresh token ({@link #refresh}).
 *
 * <p>Refusals are {@link AuthenticationException}s with short fixed messages ({@code token expired},
 * {@code invalid token}, …): a token never appears in a message or a log line. Thread-safe; verifying
 * is CPU work, except when a token names a key not yet fetched from the JWKS URL (one fetch, bounded by
 * the timeout and the minimum refresh interval).
 */
public final class JwtAuthenticator implements Authenticator {
    private static final Logger log = LoggerFactory.getLogger(JwtAuthenticator.class);

    private final JwtAuthenticatorOptions options;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    private JwtAuthenticator(JwtAuthenticatorOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        Set<JWSAlgorithm> allowed = new HashSet<>();
        options.algorithms().forEach(a -> allowed.add(JWSAlgorithm.parse(a)));
        processor.setJWSKeySelector(new AllowListKeySelector(allowed, keySource(options)));
        processor.setJWSVerifierFactory(new VerifierFactory());
        JWTClaimsSet exact = options.issuer() == null ? new JWTClaimsSet.Builder().build()
                : new JWTClaimsSet.Builder().issuer(options.issuer()).build();
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                options.audiences().isEmpty() ? null : options.audiences(), exact,
                Set.of(options.userIdClaim(), "exp"), null);
        claims.setMaxClockSkew((int) options.clockSkew().toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
    }

    /**
     * @param options algorithms, keys, checks and claim mapping
     * @return the authenticator
     */
    public static JwtAuthenticator create(JwtAuthenticatorOptions options) {
        return new JwtAuthenticator(options);
    }

    /** @return the options */
    public JwtAuthenticatorOptions options() {
        return options;
    }

    /**
     * Finds the token in the handshake (see {@link JwtAuthenticatorOptions#tokenSources()}) and verifies it.
     *
     * @throws AuthenticationException {@code unauthorized} (HTTP 401) when there is none or it is not valid
     */
    @Override
    public Identity authenticate(Handshake handshake) {
        String token = tokenOf(handshake);
        if (token == null) {
            throw AuthenticationException.unauthorized("no token");
        }
        return verify(token);
    }

    /** Verifies a fresh token sent in an {@code auth} frame; the node then checks it is the same user. */
    @Override
    public Identity refresh(Identity current, String token) {
        return verify(token);
    }

    /**
     * @param token a compact JWS
     * @return the identity it proves
     * @throws AuthenticationException {@code unauthorized}: {@code token expired}, {@code token not yet
     *     valid}, {@code token not accepted} (issuer, audience, missing claim) or {@code invalid token}
     */
    public Identity verify(String token) {
        if (token == null || token.isBlank() || token.length() > options.maxTokenChars()) {
            throw AuthenticationException.unauthorized("invalid token");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (BadJWTException e) {
            String m = String.valueOf(e.getMessage());
            String why = m.contains("Expired") ? "token expired" : m.contains("before use") ? "token not yet valid"
                    : "token not accepted";
            log.debug("Refused a JWT: {}", why);
            throw AuthenticationException.unauthorized(why);
        } catch (ParseException | BadJOSEException | com.nimbusds.jose.JOSEException | RuntimeException e) {
            // Messages of parse errors may quote the token: log the kind only.
            log.debug("Refused a JWT: {}", e.getClass().getSimpleName());
            throw AuthenticationException.unauthorized("invalid token");
        }
        return identity(claims);
    }

    /**
     * One call for an HTTP endpoint (such as an emit API): verifies the bearer token of an
     * {@code Authorization} header and requires a scope.
     *
     * @param authorizationHeader the header's value, {@code Bearer <token>}, or null
     * @param scope the scope the caller needs, e.g. {@code emit}
     * @return the caller's identity
     * @throws AuthenticationException {@code unauthorized} (401) without a valid token, {@code forbidden}
     *     (403) when the token lacks the scope
     */
    public Identity requireScope(String authorizationHeader, String scope) {
        Objects.requireNonNull(scope, "scope");
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw AuthenticationException.unauthorized("no bearer token");
        }
        Identity identity = verify(authorizationHeader.substring(7).trim());
        if (!hasScope(identity, scope)) {
            throw AuthenticationException.forbidden("the token lacks scope " + scope);
        }
        return identity;
    }

    /**
     * @param identity an identity this authenticator made
     * @param scope a scope
     * @return true when its token granted the scope (in any of the scope claims)
     */
    public boolean hasScope(Identity identity, String scope) {
        return ClaimPaths.strings(identity.claims(), options.scopeClaims(), true).contains(scope);
    }

    private String tokenOf(Handshake handshake) {
        for (TokenSource source : options.tokenSources()) {
            String token = switch (source) {
                case AUTHORIZATION_HEADER -> {
                    String h = handshake.header("Authorization");
                    yield h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).trim() : null;
                }
                case SUB_PROTOCOL -> handshake.protocolToken();
                case QUERY_PARAMETER -> handshake.queryParam("access_token");
            };
            if (token != null && !token.isEmpty()) {
                return token;
            }
        }
        return null;
    }

    private Identity identity(JWTClaimsSet set) {
        Map<String, Object> all = new HashMap<>();
        set.toJSONObject().forEach((k, v) -> {
            if (v != null) {
                all.put(k, v);
            }
        });
        Object uid = all.get(options.userIdClaim());
        if (!(uid instanceof String userId) || userId.isBlank()) {
            throw AuthenticationException.unauthorized("token not accepted");
        }
        String name = userId;
        for (String claim : options.nameClaims()) {
            if (ClaimPaths.at(all, claim) instanceof String n && !n.isBlank()) {
                name = n;
                break;
            }
        }
        return Identity.builder(userId)
                .name(name)
                .roles(ClaimPaths.strings(all, options.roleClaims(), false))
                .organisations(ClaimPaths.strings(all, options.organisationClaims(), false))
                .claims(all)
                // The token is accepted until exp plus the skew; so is the connection it opened.
                .expiresAt(set.getExpirationTime().toInstant().plus(options.clockSkew()))
                .build();
    }

    private static JWKSource<SecurityContext> keySource(JwtAuthenticatorOptions o) {
        List<JWK> fixed = new ArrayList<>();
        if (o.secret() != null) {
            fixed.add(new OctetSequenceKey.Builder(o.secret()).build());
        }
        if (o.keys() != null) {
            fixed.addAll(o.keys().getKeys());
        }
        JWKSource<SecurityContext> configured = fixed.isEmpty() ? null : new ImmutableJWKSet<>(new JWKSet(fixed));
        if (o.jwksUri() == null) {
            return configured;
        }
        int timeout = (int) o.jwksTimeout().toMillis();
        JWKSource<SecurityContext> remote;
        try {
            remote = JWKSourceBuilder.<SecurityContext>create(o.jwksUri().toURL(),
                            new DefaultResourceRetriever(timeout, timeout, 512 * 1024))
                    .cache(o.jwksCacheTtl().toMillis(), Math.max(timeout, 1000L) + 1000L)
                    .rateLimited(o.jwksMinRefreshInterval().toMillis())
                    .retrying(false)
                    .build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("jwksUri: " + e.getMessage(), e);
        }
        if (configured == null) {
            return remote;
        }
        return (selector, context) -> {
            List<JWK> found = new ArrayList<>(configured.get(selector, context));
            found.addAll(remote.get(selector, context));
            return found;
        };
    }

    @Override
    public String toString() {
        return "JwtAuthenticator[" + options + "]";
    }
}
