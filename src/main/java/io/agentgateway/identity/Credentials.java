package io.agentgateway.identity;

import io.vertx.core.MultiMap;

import java.security.cert.Certificate;
import java.util.List;

/**
 * What a request offers to prove who sent it: its headers (for bearer tokens and API keys) and
 * the client certificate chain of its TLS connection (for mTLS; empty without one).
 * A protocol-neutral view, so authenticators never see a listener's wire types.
 */
public record Credentials(MultiMap headers, List<Certificate> peerCertificates, String remoteAddress) {
    public Credentials {
        peerCertificates = peerCertificates == null ? List.of() : peerCertificates;
    }

    /** The token of an {@code Authorization: Bearer} header, or null when there is none. */
    public String bearerToken() {
        String h = headers.get("authorization");
        if (h == null || h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = h.substring(7).trim();
        return token.isEmpty() ? null : token;
    }
}
