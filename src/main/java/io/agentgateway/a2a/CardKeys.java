package io.agentgateway.a2a;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.agentgateway.secret.SecretRef;

/**
 * The private key the gateway signs the agent cards it rewrites with ({@link CardSigner}), and
 * the public keys it publishes as a JWKS for verifiers. Either a key of this process, generated
 * at start (fine for one replica; each replica has its own), or the JWK in a Kubernetes Secret
 * ({@code a2a.card_signing_key_secret}), shared by every replica and rotated by changing the
 * Secret: the new key signs from the next card on, and the key it replaced stays in the JWKS
 * until the process ends, so cards signed shortly before a rotation (and still cached by a
 * caller) keep verifying.
 *
 * <p>Thread-safe. One per process (the generated key) or per config (the Secret); the Secret's
 * value is read without blocking ({@link SecretRef#current()}).
 */
public interface CardKeys {
    /** The key to sign with now (private, with a {@code kid}). */
    JWK signingKey();

    /** The public keys a verifier may meet: the current one first. */
    JWKSet published();

    /** A random EC P-256 (ES256) key of this process. */
    static CardKeys generated() {
        try {
            JWK key = new ECKeyGenerator(Curve.P_256).keyIDFromThumbprint(true).generate();
            JWKSet set = new JWKSet(key.toPublicJWK());
            return new CardKeys() {
                @Override
                public JWK signingKey() {
                    return key;
                }

                @Override
                public JWKSet published() {
                    return set;
                }
            };
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an EC P-256 key", e);
        }
    }

    /**
     * The private JWK held in a Secret (an EC P-256/P-384/P-521 or RSA key of at least 2048 bits),
     * read when first needed and again whenever the Secret's value changes; nothing is read here.
     *
     * @param fallback signs while the Secret cannot be read yet (it is a required secret, so the
     *                 gateway is not ready meanwhile) or has never held a usable key (logged)
     */
    static CardKeys fromSecret(SecretRef secret, CardKeys fallback) {
        return new SecretCardKeys(secret, fallback);
    }
}
