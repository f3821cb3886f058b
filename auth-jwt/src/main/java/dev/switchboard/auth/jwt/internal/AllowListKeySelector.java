package dev.switchboard.auth.jwt.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import java.security.Key;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Picks the verification keys for a token: only for an algorithm on the allow-list, only keys of the
 * family that algorithm needs (so an RSA public key can never serve as an HMAC secret), matched by
 * {@code kid} when the token names one. Ed25519 keys come out as JDK keys for {@link JdkEdDsaVerifier}.
 * Thread-safe.
 */
public final class AllowListKeySelector implements JWSKeySelector<SecurityContext> {
    private final Set<JWSAlgorithm> allowed;
    private final JWKSource<SecurityContext> source;

    /**
     * @param allowed the accepted algorithms
     * @param source where keys come from (configured keys, a JWKS URL with its cache)
     */
    public AllowListKeySelector(Set<JWSAlgorithm> allowed, JWKSource<SecurityContext> source) {
        this.allowed = Set.copyOf(allowed);
        this.source = source;
    }

    @Override
    public List<Key> selectJWSKeys(JWSHeader header, SecurityContext context) throws KeySourceException {
        JWSAlgorithm alg = header.getAlgorithm();
        if (!allowed.contains(alg)) {
            return List.of();
        }
        JWKMatcher matcher = JdkEdDsaVerifier.ALGORITHMS.contains(alg)
                ? new JWKMatcher.Builder().keyType(KeyType.OKP).keyID(header.getKeyID())
                        .keyUses(KeyUse.SIGNATURE, null).build()
                : JWKMatcher.forJWSHeader(header);
        if (matcher == null) {
            return List.of();
        }
        List<Key> keys = new ArrayList<>();
        for (JWK jwk : source.get(new JWKSelector(matcher), context)) {
            try {
                if (jwk instanceof RSAKey rsa) {
                    keys.add(rsa.toRSAPublicKey());
                } else if (jwk instanceof ECKey ec) {
                    keys.add(ec.toECPublicKey());
                } else if (jwk instanceof OctetSequenceKey oct) {
                    keys.add(oct.toSecretKey());
                } else if (jwk instanceof OctetKeyPair okp) {
                    keys.add(JdkEdDsaVerifier.toPublicKey(okp));
                }
            } catch (JOSEException e) {
                // a malformed or unsupported key in the set: skip it, others may verify
            }
        }
        return keys;
    }
}
