package io.agentgateway.identity;

import com.nimbusds.jose.JWSAlgorithm;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The JWS algorithms a token method may accept: asymmetric signatures only (RSA PKCS#1, RSA-PSS,
 * ECDSA on the NIST curves). {@code none} and the HMAC family are absent by construction, which
 * is what makes algorithm-confusion attacks impossible.
 */
public final class JwtAlgorithms {
    public static final Set<JWSAlgorithm> ASYMMETRIC = Set.of(
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    private JwtAlgorithms() {
    }

    /**
     * The algorithms named in a config ({@code algorithms: [RS256, ...]}; empty: all of {@link #ASYMMETRIC}).
     *
     * @throws IllegalArgumentException naming the first entry that is not an accepted algorithm
     */
    public static Set<JWSAlgorithm> parse(List<String> names) {
        if (names.isEmpty()) {
            return ASYMMETRIC;
        }
        Set<JWSAlgorithm> out = new LinkedHashSet<>();
        for (String n : names) {
            JWSAlgorithm alg = JWSAlgorithm.parse(n);
            if (!ASYMMETRIC.contains(alg)) {
                throw new IllegalArgumentException("\"" + n + "\" is not an accepted algorithm (one of " + String.join(", ", names()) + ")");
            }
            out.add(alg);
        }
        return out;
    }

    static List<String> names() {
        List<String> out = new ArrayList<>();
        for (JWSAlgorithm a : ASYMMETRIC) {
            out.add(a.getName());
        }
        out.sort(null);
        return out;
    }
}
