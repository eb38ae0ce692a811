package io.agentgateway.a2a;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.agentgateway.config.Secret;
import io.agentgateway.secret.SecretRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link CardKeys} read from a Secret and re-read when its value changes. A value that is not a
 * usable private JWK is logged (never shown) and the last good key stays in use, or the fallback
 * while there was none. Thread-safe: the parsed state is swapped as a whole.
 */
final class SecretCardKeys implements CardKeys {
    private static final Logger log = LoggerFactory.getLogger(SecretCardKeys.class);

    /** @param key null while the Secret has never held a usable key */
    private record State(Secret raw, JWK key, JWKSet published) {
    }

    private final SecretRef secret;
    private final CardKeys fallback;
    private volatile State state;

    SecretCardKeys(SecretRef secret, CardKeys fallback) {
        this.secret = secret;
        this.fallback = fallback;
    }

    @Override
    public JWK signingKey() {
        State s = current();
        return s == null || s.key() == null ? fallback.signingKey() : s.key();
    }

    @Override
    public JWKSet published() {
        State s = current();
        return s == null || s.key() == null ? fallback.published() : s.published();
    }

    private State current() {
        State s = state;
        Secret raw = secret.current();
        if (raw == null || (s != null && raw.equals(s.raw()))) {
            return s;
        }
        synchronized (this) {
            s = state;
            if (s != null && raw.equals(s.raw())) {
                return s;
            }
            JWK key;
            try {
                key = parse(raw, secret);
            } catch (IllegalArgumentException e) {
                log.warn("{}: cannot sign agent cards with it; {} stays in use", e.getMessage(),
                        s != null && s.key() != null ? "the previous key " + s.key().getKeyID() : "the key of this process");
                // Remember the bad value so it is not parsed again for every card.
                state = s == null ? new State(raw, null, null) : new State(raw, s.key(), s.published());
                return state;
            }
            List<JWK> keys = new ArrayList<>();
            keys.add(key.toPublicJWK());
            if (s != null && s.key() != null && !s.key().getKeyID().equals(key.getKeyID())) {
                // The replaced key stays published: cards signed with it may still be in callers' caches.
                keys.add(s.key().toPublicJWK());
            }
            state = new State(raw, key, new JWKSet(keys));
            log.info("agent cards are now signed with key {} from Secret {}", key.getKeyID(), secret);
            return state;
        }
    }

    /** A private EC or RSA JWK, given a {@code kid} (its RFC 7638 thumbprint) when it has none. */
    static JWK parse(Secret raw, SecretRef where) {
        JWK key;
        try {
            key = JWK.parse(raw.reveal());
        } catch (ParseException e) {
            // Never the value: it is a private key.
            throw new IllegalArgumentException("Secret " + where + " is not a JWK (a JSON Web Key object)");
        }
        if (!key.isPrivate()) {
            throw new IllegalArgumentException("Secret " + where + " holds a public JWK; the gateway needs the private key");
        }
        try {
            if (key instanceof ECKey ec) {
                return ec.getKeyID() != null ? ec : new ECKey.Builder(ec).keyIDFromThumbprint().build();
            }
            if (key instanceof RSAKey rsa) {
                if (rsa.size() < 2048) {
                    throw new IllegalArgumentException("Secret " + where + " holds an RSA key of " + rsa.size()
                            + " bits; at least 2048 are needed");
                }
                return rsa.getKeyID() != null ? rsa : new RSAKey.Builder(rsa).keyIDFromThumbprint().build();
            }
        } catch (JOSEException e) {
            throw new IllegalArgumentException("Secret " + where + ": " + e.getMessage());
        }
        throw new IllegalArgumentException("Secret " + where + " holds a " + key.getKeyType()
                + " JWK; agent cards are signed with an EC (P-256, P-384, P-521) or RSA key");
    }
}
