package dev.switchboard.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.switchboard.ErrorCode;
import dev.switchboard.Identity;
import dev.switchboard.spi.AuthenticationException;
import dev.switchboard.spi.Handshake;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Verification and mapping with real signed tokens of every family, and every way a token is refused. */
class JwtAuthenticatorTest {
    private static final RSAKey RSA = Tokens.rsa("r1");
    private static final ECKey EC = Tokens.ec("e1");
    private static final Tokens.Ed ED = Tokens.ed("d1");

    private static JwtAuthenticator all() {
        return JwtAuthenticator.create(JwtAuthenticatorOptions.builder()
                .algorithms("HS256", "RS256", "ES256", "EdDSA")
                .secret(Tokens.SECRET)
                .keys(Tokens.publicSet(RSA, EC, ED.publicJwk()))
                .issuer("https://idp.test").audiences("switchboard")
                .build());
    }

    private static JWTClaimsSet good(String sub) {
        return Tokens.claims(sub, Duration.ofMinutes(5), b -> b.issuer("https://idp.test").audience("switchboard"));
    }

    private static void refused(JwtAuthenticator jwt, String token, String message) {
        assertThatThrownBy(() -> jwt.verify(token))
                .isInstanceOfSatisfying(AuthenticationException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
                    assertThat(e.httpStatus()).isEqualTo(401);
                    assertThat(e.getMessage()).isEqualTo(message);
                });
    }

    @Test
    void everyAllowedFamilyVerifies() {
        JwtAuthenticator jwt = all();
        assertThat(jwt.verify(Tokens.hs256(good("h"))).userId()).isEqualTo("h");
        assertThat(jwt.verify(Tokens.rs256(RSA, good("r"))).userId()).isEqualTo("r");
        assertThat(jwt.verify(Tokens.es256(EC, good("e"))).userId()).isEqualTo("e");
        assertThat(jwt.verify(Tokens.eddsa(ED, good("d"))).userId()).isEqualTo("d");
    }

    @Test
    void claimsMapToTheIdentityIncludingNestedKeycloakRoles() {
        Instant exp = Instant.now().plusSeconds(300).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Identity id = all().verify(Tokens.rs256(RSA, new JWTClaimsSet.Builder().subject("u-1")
                .issuer("https://idp.test").audience(List.of("other", "switchboard"))
                .expirationTime(Date.from(exp))
                .claim("preferred_username", "Alice")
                .claim("realm_access", Map.of("roles", List.of("admin", "editor")))
                .claim("roles", List.of("reader"))
                .claim("org", "acme")
                .claim("scope", "openid emit")
                .build()));
        assertThat(id.userId()).isEqualTo("u-1");
        assertThat(id.name()).isEqualTo("Alice");
        assertThat(id.roles()).containsExactlyInAnyOrder("admin", "editor", "reader");
        assertThat(id.organisations()).containsExactly("acme");
        assertThat(id.expiresAt()).as("exp plus the default skew").isEqualTo(exp.plusSeconds(60));
        assertThat(id.claims()).containsEntry("preferred_username", "Alice");
        assertThat(all().hasScope(id, "emit")).isTrue();
        assertThat(all().hasScope(id, "admin")).isFalse();
    }

    @Test
    void expiredNotYetValidWrongIssuerWrongAudienceAndMissingClaimsAreRefused() {
        JwtAuthenticator jwt = all();
        refused(jwt, Tokens.rs256(RSA, Tokens.claims("a", Duration.ofSeconds(-120),
                b -> b.issuer("https://idp.test").audience("switchboard"))), "token expired");
        refused(jwt, Tokens.rs256(RSA, Tokens.claims("a", Duration.ofMinutes(5),
                b -> b.issuer("https://idp.test").audience("switchboard").notBeforeTime(
                        Date.from(Instant.now().plusSeconds(600))))), "token not yet valid");
        refused(jwt, Tokens.rs256(RSA, Tokens.claims("a", Duration.ofMinutes(5),
                b -> b.issuer("https://evil.test").audience("switchboard"))), "token not accepted");
        refused(jwt, Tokens.rs256(RSA, Tokens.claims("a", Duration.ofMinutes(5),
                b -> b.issuer("https://idp.test").audience("elsewhere"))), "token not accepted");
        refused(jwt, Tokens.rs256(RSA, new JWTClaimsSet.Builder().issuer("https://idp.test").audience("switchboard")
                .expirationTime(Date.from(Instant.now().plusSeconds(60))).build()), "token not accepted");
        refused(jwt, Tokens.rs256(RSA, new JWTClaimsSet.Builder().subject("no-exp").issuer("https://idp.test")
                .audience("switchboard").build()), "token not accepted");
    }

    @Test
    void withinTheClockSkewAnExpiredTokenStillPasses() {
        JwtAuthenticator jwt = JwtAuthenticator.create(JwtAuthenticatorOptions.builder().algorithms("RS256")
                .keys(Tokens.publicSet(RSA)).clockSkew(Duration.ofSeconds(60)).build());
        assertThat(jwt.verify(Tokens.rs256(RSA, Tokens.claims("a", Duration.ofSeconds(-20), b -> { }))).userId())
                .isEqualTo("a");
        refused(jwt, Tokens.rs256(RSA, Tokens.claims("a", Duration.ofSeconds(-90), b -> { })), "token expired");
    }

    @Test
    void badSignaturesUnknownKeysAndAlgorithmsOffTheListAreRefused() throws Exception {
        JwtAuthenticator rsOnly = JwtAuthenticator.create(JwtAuthenticatorOptions.builder().algorithms("RS256")
                .keys(Tokens.publicSet(RSA)).build());
        refused(rsOnly, Tokens.tampered(Tokens.rs256(RSA, good("a"))), "invalid token");
        refused(rsOnly, Tokens.rs256(Tokens.rsa("r1"), good("a")), "invalid token"); // same kid, other key
        refused(rsOnly, Tokens.es256(EC, good("a")), "invalid token");
        refused(all(), Tokens.eddsa(Tokens.ed("d1"), good("a")), "invalid token");
        // Algorithm confusion: an HS256 token "signed" with the RSA public key as the HMAC secret.
        byte[] publicKeyAsSecret = RSA.toRSAPublicKey().getEncoded();
        String confused = Tokens.sign(new MACSigner(publicKeyAsSecret), JWSAlgorithm.HS256, "r1", good("a"));
        refused(rsOnly, confused, "invalid token");
        // alg "none", and garbage.
        String none = new com.nimbusds.jwt.PlainJWT(good("a")).serialize();
        refused(all(), none, "invalid token");
        refused(all(), "not.a.jwt", "invalid token");
        refused(all(), "x".repeat(9000), "invalid token");
        String header = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}").toString();
        refused(all(), header + "." + Base64URL.encode(good("a").toString()) + ".", "invalid token");
    }

    @Test
    void optionsRefuseNoneAndIncompleteKeySetups() {
        assertThatThrownBy(() -> JwtAuthenticatorOptions.builder().algorithms("none").secret(Tokens.SECRET).build())
                .hasMessageContaining("none");
        assertThatThrownBy(() -> JwtAuthenticatorOptions.builder().build()).hasMessageContaining("algorithms");
        assertThatThrownBy(() -> JwtAuthenticatorOptions.builder().algorithms("HS256").build()).hasMessageContaining("secret");
        assertThatThrownBy(() -> JwtAuthenticatorOptions.builder().algorithms("HS256").secret(new byte[8]).build())
                .hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> JwtAuthenticatorOptions.builder().algorithms("RS256").build()).hasMessageContaining("keys");
        assertThatThrownBy(() -> JwtAuthenticatorOptions.builder().algorithms("RS256")
                .keys(new com.nimbusds.jose.jwk.JWKSet(RSA)).build()).hasMessageContaining("public keys only");
        assertThat(JwtAuthenticatorOptions.builder().algorithms("HS256").secret(Tokens.SECRET).build().toString())
                .doesNotContain(new String(Tokens.SECRET, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void tokensAreFoundInTheHeaderTheSubProtocolAndTheQueryInThatOrder() {
        JwtAuthenticator jwt = all();
        String h = Tokens.hs256(good("from-header"));
        String p = Tokens.hs256(good("from-protocol"));
        String q = Tokens.hs256(good("from-query"));
        Handshake every = new Handshake("/ws", Map.of("access_token", List.of(q)),
                Map.of("Authorization", List.of("Bearer " + h)), List.of("switchboard.v1", "access_token." + p), null);
        assertThat(jwt.authenticate(every).userId()).isEqualTo("from-header");
        assertThat(jwt.authenticate(new Handshake("/ws", Map.of("access_token", List.of(q)), Map.of(),
                List.of("switchboard.v1", "access_token." + p), null)).userId()).isEqualTo("from-protocol");
        assertThat(jwt.authenticate(new Handshake("/ws", Map.of("access_token", List.of(q)), Map.of(), List.of(), null))
                .userId()).isEqualTo("from-query");
        assertThatThrownBy(() -> jwt.authenticate(Handshake.of("/ws"))).hasMessage("no token");

        JwtAuthenticator headerOnly = JwtAuthenticator.create(JwtAuthenticatorOptions.builder().algorithms("HS256")
                .secret(Tokens.SECRET).tokenSources(TokenSource.AUTHORIZATION_HEADER).build());
        assertThatThrownBy(() -> headerOnly.authenticate(new Handshake("/ws", Map.of("access_token", List.of(q)),
                Map.of(), List.of(), null))).hasMessage("no token");
    }

    @Test
    void requireScopeIsOneCallForAnHttpEndpoint() {
        JwtAuthenticator jwt = all();
        String emitter = Tokens.hs256(Tokens.claims("svc", Duration.ofMinutes(5),
                b -> b.issuer("https://idp.test").audience("switchboard").claim("scp", List.of("emit"))));
        String reader = Tokens.hs256(Tokens.claims("svc", Duration.ofMinutes(5),
                b -> b.issuer("https://idp.test").audience("switchboard").claim("scope", "read")));
        assertThat(jwt.requireScope("Bearer " + emitter, "emit").userId()).isEqualTo("svc");
        assertThatThrownBy(() -> jwt.requireScope("Bearer " + reader, "emit"))
                .isInstanceOfSatisfying(AuthenticationException.class, e -> assertThat(e.httpStatus()).isEqualTo(403));
        assertThatThrownBy(() -> jwt.requireScope(null, "emit"))
                .isInstanceOfSatisfying(AuthenticationException.class, e -> assertThat(e.httpStatus()).isEqualTo(401));
        assertThatThrownBy(() -> jwt.requireScope("Basic abc", "emit"))
                .isInstanceOfSatisfying(AuthenticationException.class, e -> assertThat(e.httpStatus()).isEqualTo(401));
    }
}
