package dev.switchboard.auth.jwt;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.function.Consumer;

/** Mints real signed tokens for the tests: HS256, RS256, ES256 and EdDSA (Ed25519, signed by the JDK). */
final class Tokens {
    static final byte[] SECRET = "a-test-secret-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8);

    private Tokens() {
    }

    static RSAKey rsa(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static ECKey ec(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An Ed25519 key pair made by the JDK, and its public JWK. */
    record Ed(KeyPair pair, OctetKeyPair publicJwk) { }

    static Ed ed(String kid) {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] der = pair.getPublic().getEncoded();
            byte[] x = Arrays.copyOfRange(der, der.length - 32, der.length);
            return new Ed(pair, new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).keyID(kid).build());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Claims for user {@code sub} valid for {@code ttl}, with more set by {@code more}. */
    static JWTClaimsSet claims(String sub, Duration ttl, Consumer<JWTClaimsSet.Builder> more) {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().subject(sub).issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plus(ttl)));
        more.accept(b);
        return b.build();
    }

    static String hs256(JWTClaimsSet claims) {
        try {
            return sign(new MACSigner(SECRET), JWSAlgorithm.HS256, null, claims);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String rs256(RSAKey key, JWTClaimsSet claims) {
        try {
            return sign(new RSASSASigner(key), JWSAlgorithm.RS256, key.getKeyID(), claims);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String es256(ECKey key, JWTClaimsSet claims) {
        try {
            return sign(new ECDSASigner(key), JWSAlgorithm.ES256, key.getKeyID(), claims);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String eddsa(Ed key, JWTClaimsSet claims) {
        try {
            JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID(key.publicJwk().getKeyID())
                    .type(JOSEObjectType.JWT).build();
            JWSObject object = new JWSObject(header, new Payload(claims.toJSONObject()));
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key.pair().getPrivate());
            s.update(object.getSigningInput());
            return header.toBase64URL() + "." + object.getPayload().toBase64URL() + "." + Base64URL.encode(s.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String sign(JWSSigner signer, JWSAlgorithm alg, String kid, JWTClaimsSet claims) throws Exception {
        JWSObject object = new JWSObject(new JWSHeader.Builder(alg).keyID(kid).type(JOSEObjectType.JWT).build(),
                new Payload(claims.toJSONObject()));
        object.sign(signer);
        return object.serialize();
    }

    /** @return the token with its signature's first character changed */
    static String tampered(String token) {
        int dot = token.lastIndexOf('.') + 1;
        char c = token.charAt(dot);
        return token.substring(0, dot) + (c == 'A' ? 'B' : 'A') + token.substring(dot + 1);
    }

    /** @return the public parts of some keys as a JWK set */
    static com.nimbusds.jose.jwk.JWKSet publicSet(JWK... keys) {
        return new com.nimbusds.jose.jwk.JWKSet(Arrays.stream(keys).map(JWK::toPublicJWK).toList());
    }
}
