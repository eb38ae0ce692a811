package io.agentgateway.a2a;

import io.vertx.core.http.HttpServerRequest;

/**
 * {@code GET /.well-known/jwks.json} on the A2A listener: the public keys that verify the
 * signatures of the agent cards the gateway re-signs (the {@code jku} of each signature points
 * here). Public by nature, so served without authentication; cacheable for a few minutes, which
 * is shorter than a rotated-out key stays published.
 */
final class Jwks {
    private Jwks() {
    }

    static void serve(HttpServerRequest request, CardKeys keys) {
        request.response()
                .putHeader("content-type", "application/jwk-set+json")
                .putHeader("cache-control", "public, max-age=300")
                .end(keys.published().toString(true));
    }
}
