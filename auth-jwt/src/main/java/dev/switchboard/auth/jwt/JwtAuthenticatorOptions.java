package dev.switchboard.auth.jwt;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of a {@link JwtAuthenticator}. Immutable; build with {@link #builder()}; validated at
 * construction (a bad value throws {@link IllegalArgumentException} naming it).
 *
 * <pre>{@code
 * JwtAuthenticatorOptions.builder()
 *     .algorithms("RS256", "ES256")
 *     .jwksUri(URI.create("https://idp.example.com/realms/app/protocol/openid-connect/certs"))
 *     .issuer("https://idp.example.com/realms/app")
 *     .audiences("switchboard")
 *     .roleClaims("realm_access.roles", "resource_access.switchboard.roles")
 *     .build();
 * }</pre>
 *
 * @param algorithms the accepted signature algorithms, e.g. {@code RS256}, {@code ES256},
 *     {@code EdDSA}, {@code HS256}; required, never {@code none}. A token signed with any other is refused,
 *     and each algorithm only uses keys of its own family
 * @param secret the HMAC secret for {@code HS256/384/512}, at least 32 bytes, or {@code null}
 * @param keys public keys (RSA, EC, Ed25519 OKP) given in configuration, or {@code null}
 * @param jwksUri where the issuer publishes its keys (JWKS), fetched when a token names a key not yet
 *     known, or {@code null}
 * @param jwksCacheTtl how long fetched keys are trusted before they are fetched again (default 5 min)
 * @param jwksMinRefreshInterval the least time between two fetches, however many unknown key ids arrive
 *     (default 30 s): a client cannot make the node hammer the issuer
 * @param jwksTimeout connect and read timeout of one fetch (default 2 s)
 * @param issuer the required {@code iss}, or {@code null} for any
 * @param audiences accepted {@code aud} values; a token must name one of them; empty for any
 * @param clockSkew tolerance on {@code exp} and {@code nbf} (default 60 s)
 * @param tokenSources where a handshake's token is looked for, in order (default: header, sub-protocol,
 *     query parameter)
 * @param userIdClaim the claim holding the user id (default {@code sub}); required in every token
 * @param nameClaims claims tried for the display name, in order (default {@code name},
 *     {@code preferred_username}); the user id when none is present
 * @param roleClaims dotted paths of the roles (default {@code roles}, {@code realm_access.roles})
 * @param organisationClaims dotted paths of the organisations (default {@code organisations},
 *     {@code org})
 * @param scopeClaims claims holding scopes, a space-separated string or a list (default {@code scope},
 *     {@code scp})
 * @param maxTokenChars longer tokens are refused unread (default 8,192)
 */
public record JwtAuthenticatorOptions(Set<String> algorithms, byte[] secret, JWKSet keys, URI jwksUri,
                                      Duration jwksCacheTtl, Duration jwksMinRefreshInterval, Duration jwksTimeout,
                                      String issuer, Set<String> audiences, Duration clockSkew,
                                      List<TokenSource> tokenSources, String userIdClaim, List<String> nameClaims,
                                      List<String> roleClaims, List<String> organisationClaims,
                                      List<String> scopeClaims, int maxTokenChars) {

    /** Validates every field and copies the collections. */
    public JwtAuthenticatorOptions {
        algorithms = Set.copyOf(algorithms);
        if (algorithms.isEmpty()) {
            throw new IllegalArgumentException("algorithms: name the accepted signature algorithms, e.g. RS256");
        }
        boolean hmac = false;
        boolean asymmetric = false;
        for (String a : algorithms) {
            JWSAlgorithm alg = JWSAlgorithm.parse(a);
            if (a.equalsIgnoreCase("none") || JWSAlgorithm.Family.HMAC_SHA.contains(alg)) {
                if (a.equalsIgnoreCase("none")) {
                    throw new IllegalArgumentException("algorithms: \"none\" is never accepted");
                }
                hmac = true;
            } else if (JWSAlgorithm.Family.SIGNATURE.contains(alg) || alg.equals(JWSAlgorithm.EdDSA)
                    || alg.equals(JWSAlgorithm.Ed25519)) {
                asymmetric = true;
            } else {
                throw new IllegalArgumentException("algorithms: unknown signature algorithm " + a);
            }
        }
        if (secret != null) {
            secret = secret.clone();
            if (secret.length < 32) {
                throw new IllegalArgumentException("secret: an HMAC secret needs at least 32 bytes");
            }
        }
        if (hmac && secret == null) {
            throw new IllegalArgumentException("secret: HS algorithms are allowed but no secret is set");
        }
        if (asymmetric && keys == null && jwksUri == null) {
            throw new IllegalArgumentException("keys or jwksUri: asymmetric algorithms are allowed but no public key source is set");
        }
        if (keys != null && keys.containsNonPublicKeys()) {
            throw new IllegalArgumentException("keys: give public keys only");
        }
        if (jwksUri != null && !("https".equalsIgnoreCase(jwksUri.getScheme()) || "http".equalsIgnoreCase(jwksUri.getScheme()))) {
            throw new IllegalArgumentException("jwksUri must be https:// (or http:// on a trusted network): " + jwksUri);
        }
        positive(jwksCacheTtl, "jwksCacheTtl");
        positive(jwksMinRefreshInterval, "jwksMinRefreshInterval");
        positive(jwksTimeout, "jwksTimeout");
        if (jwksMinRefreshInterval.compareTo(jwksCacheTtl) > 0) {
            throw new IllegalArgumentException("jwksMinRefreshInterval must not exceed jwksCacheTtl");
        }
        audiences = Set.copyOf(audiences);
        Objects.requireNonNull(clockSkew, "clockSkew");
        if (clockSkew.isNegative() || clockSkew.toSeconds() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("clockSkew must be >= 0");
        }
        tokenSources = List.copyOf(new LinkedHashSet<>(tokenSources));
        if (tokenSources.isEmpty()) {
            throw new IllegalArgumentException("tokenSources must name at least one");
        }
        Objects.requireNonNull(userIdClaim, "userIdClaim");
        nameClaims = List.copyOf(nameClaims);
        roleClaims = List.copyOf(roleClaims);
        organisationClaims = List.copyOf(organisationClaims);
        scopeClaims = List.copyOf(scopeClaims);
        if (maxTokenChars < 64) {
            throw new IllegalArgumentException("maxTokenChars must be at least 64");
        }
    }

    /** @return a builder with the defaults (which name no algorithm and no key: set them) */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the secret, copied; {@code null} when none */
    @Override
    public byte[] secret() {
        return secret == null ? null : secret.clone();
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "JwtAuthenticatorOptions[algorithms=" + algorithms + ", secret=" + (secret == null ? "none" : "***")
                + ", keys=" + (keys == null ? 0 : keys.size()) + ", jwksUri=" + jwksUri + ", issuer=" + issuer
                + ", audiences=" + audiences + ", clockSkew=" + clockSkew + ", tokenSources=" + tokenSources + "]";
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }

    /** Builds {@link JwtAuthenticatorOptions}; each setter documents its default. Not thread-safe. */
    public static final class Builder {
        private Set<String> algorithms = Set.of();
        private byte[] secret;
        private JWKSet keys;
        private URI jwksUri;
        private Duration jwksCacheTtl = Duration.ofMinutes(5);
        private Duration jwksMinRefreshInterval = Duration.ofSeconds(30);
        private Duration jwksTimeout = Duration.ofSeconds(2);
        private String issuer;
        private Set<String> audiences = Set.of();
        private Duration clockSkew = Duration.ofSeconds(60);
        private List<TokenSource> tokenSources = List.of(TokenSource.values());
        private String userIdClaim = "sub";
        private List<String> nameClaims = List.of("name", "preferred_username");
        private List<String> roleClaims = List.of("roles", "realm_access.roles");
        private List<String> organisationClaims = List.of("organisations", "org");
        private List<String> scopeClaims = List.of("scope", "scp");
        private int maxTokenChars = 8192;

        private Builder() {
        }

        /** @param names accepted algorithms, e.g. {@code "RS256", "EdDSA"} (required) @return this */
        public Builder algorithms(String... names) {
            algorithms = new LinkedHashSet<>(Arrays.asList(names));
            return this;
        }

        /** @param v the HMAC secret, at least 32 bytes (default none) @return this */
        public Builder secret(byte[] v) {
            secret = v;
            return this;
        }

        /** @param v public keys from configuration (default none) @return this */
        public Builder keys(JWKSet v) {
            keys = v;
            return this;
        }

        /** @param v the issuer's JWKS URL (default none) @return this */
        public Builder jwksUri(URI v) {
            jwksUri = v;
            return this;
        }

        /**
         * @param ttl how long fetched keys are trusted (default 5 min)
         * @param minRefreshInterval least time between fetches (default 30 s)
         * @return this
         */
        public Builder jwksCache(Duration ttl, Duration minRefreshInterval) {
            jwksCacheTtl = ttl;
            jwksMinRefreshInterval = minRefreshInterval;
            return this;
        }

        /** @param v connect and read timeout of a JWKS fetch (default 2 s) @return this */
        public Builder jwksTimeout(Duration v) {
            jwksTimeout = v;
            return this;
        }

        /** @param v the required issuer (default: any) @return this */
        public Builder issuer(String v) {
            issuer = v;
            return this;
        }

        /** @param v accepted audiences (default: any) @return this */
        public Builder audiences(String... v) {
            audiences = Set.of(v);
            return this;
        }

        /** @param v tolerance on exp and nbf (default 60 s) @return this */
        public Builder clockSkew(Duration v) {
            clockSkew = v;
            return this;
        }

        /** @param v where tokens are looked for, in order (default all three) @return this */
        public Builder tokenSources(TokenSource... v) {
            tokenSources = List.of(v);
            return this;
        }

        /** @param v the user id claim (default {@code sub}) @return this */
        public Builder userIdClaim(String v) {
            userIdClaim = v;
            return this;
        }

        /** @param v display-name claims, tried in order (default name, preferred_username) @return this */
        public Builder nameClaims(String... v) {
            nameClaims = List.of(v);
            return this;
        }

        /** @param v dotted role paths (default roles, realm_access.roles) @return this */
        public Builder roleClaims(String... v) {
            roleClaims = List.of(v);
            return this;
        }

        /** @param v dotted organisation paths (default organisations, org) @return this */
        public Builder organisationClaims(String... v) {
            organisationClaims = List.of(v);
            return this;
        }

        /** @param v scope claims (default scope, scp) @return this */
        public Builder scopeClaims(String... v) {
            scopeClaims = List.of(v);
            return this;
        }

        /** @param v the longest token read (default 8,192 characters) @return this */
        public Builder maxTokenChars(int v) {
            maxTokenChars = v;
            return this;
        }

        /** @return validated options */
        public JwtAuthenticatorOptions build() {
            return new JwtAuthenticatorOptions(algorithms, secret, keys, jwksUri, jwksCacheTtl, jwksMinRefreshInterval,
                    jwksTimeout, issuer, audiences, clockSkew, tokenSources, userIdClaim, nameClaims, roleClaims,
                    organisationClaims, scopeClaims, maxTokenChars);
        }
    }
}
