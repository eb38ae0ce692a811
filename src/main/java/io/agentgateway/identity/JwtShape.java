package io.agentgateway.identity;

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
}
