package io.agentgateway.identity;

import com.nimbusds.jwt.JWTParser;

import java.text.ParseException;
import java.time.Instant;
import java.util.Date;

/** Tells a compact JWS/JWT ({@code header.payload.signature}, base64url) from an opaque token, without parsing it. */
final class JwtShape {
    private JwtShape() {
    }

    static boolean looksLikeJwt(String token) {
        int first = token.indexOf('.');
        if (first <= 0) {
            return false;
        }
        int second = token.indexOf('.', first + 1);
        if (second <= first + 1 || token.indexOf('.', second + 1) >= 0) {
            return false;
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.')) {
                return false;
            }
        }
        return token.startsWith("eyJ");
    }

    /**
     * The {@code exp} of a token whose validity was established elsewhere (by the API server), to
     * bound how long that answer is cached; null when the token has none or cannot be read.
     */
    static Instant unverifiedExpiry(String token) {
        try {
            Date exp = JWTParser.parse(token).getJWTClaimsSet().getExpirationTime();
            return exp == null ? null : exp.toInstant();
        } catch (ParseException | RuntimeException e) {
            return null;
        }
    }
}
