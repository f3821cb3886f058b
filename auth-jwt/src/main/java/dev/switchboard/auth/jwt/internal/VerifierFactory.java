package dev.switchboard.auth.jwt.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import java.security.Key;
import java.security.PublicKey;
import java.util.HashSet;
import java.util.Set;

/** nimbus' verifiers for HS, RS, PS and ES, and {@link JdkEdDsaVerifier} for EdDSA. Thread-safe. */
public final class VerifierFactory implements JWSVerifierFactory {
    private final DefaultJWSVerifierFactory delegate = new DefaultJWSVerifierFactory();

    @Override
    public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
        if (JdkEdDsaVerifier.ALGORITHMS.contains(header.getAlgorithm())) {
            if (key instanceof PublicKey pk && ("EdDSA".equals(pk.getAlgorithm()) || "Ed25519".equals(pk.getAlgorithm()))) {
                return new JdkEdDsaVerifier(pk);
            }
            throw new JOSEException("an EdDSA token needs an Ed25519 key");
        }
        return delegate.createJWSVerifier(header, key);
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        Set<JWSAlgorithm> all = new HashSet<>(delegate.supportedJWSAlgorithms());
        all.addAll(JdkEdDsaVerifier.ALGORITHMS);
        return all;
    }

    @Override
    public JCAContext getJCAContext() {
        return delegate.getJCAContext();
    }
}
