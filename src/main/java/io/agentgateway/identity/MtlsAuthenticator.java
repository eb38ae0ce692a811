package io.agentgateway.identity;

import io.vertx.core.Future;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code type: mtls}: the client certificate that the listener's TLS verified against
 * {@code tls.client_ca_file} names the caller by its SPIFFE ID URI SAN
 * ({@code spiffe://TRUST_DOMAIN/ns/NAMESPACE/sa/SERVICE_ACCOUNT}). Requests without a client
 * certificate are not claimed; a certificate without exactly one usable SPIFFE ID, or from another
 * trust domain, is {@linkplain AuthenticationException#declined declined} so a later method (a
 * bearer token) may still identify the caller.
 *
 * <p>Immutable and thread-safe. It trusts only what the TLS handshake verified: the listener
 * asks for client certificates only when it has a client CA, and refuses the handshake for any
 * certificate that CA did not sign.
 */
final class MtlsAuthenticator implements Authenticator {
    private static final int URI_SAN = 6;

    private final String trustDomain;

    /** @param trustDomain the accepted trust domain, or null for any */
    MtlsAuthenticator(String trustDomain) {
        this.trustDomain = trustDomain;
    }

    @Override
    public String name() {
        return "mtls";
    }

    @Override
    public Future<Optional<Principal>> authenticate(Credentials credentials) {
        if (credentials.peerCertificates().isEmpty() || !(credentials.peerCertificates().get(0) instanceof X509Certificate leaf)) {
            return Authentication.notMine();
        }
        List<String> ids = new ArrayList<>();
        try {
            Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() >= 2 && Integer.valueOf(URI_SAN).equals(san.get(0)) && san.get(1) instanceof String uri
                            && uri.regionMatches(true, 0, "spiffe://", 0, 9)) {
                        ids.add(uri);
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return declined("the client certificate's subject alternative names cannot be read");
        }
        if (ids.size() != 1) {
            return declined(ids.isEmpty() ? "the client certificate has no SPIFFE ID (URI SAN spiffe://...)"
                    : "the client certificate has more than one SPIFFE ID");
        }
        SpiffeId id;
        try {
            id = SpiffeId.parse(ids.get(0));
        } catch (IllegalArgumentException e) {
            return declined("the client certificate's SPIFFE ID " + Quoted.of(ids.get(0), 200) + " is not usable: " + e.getMessage());
        }
        if (trustDomain != null && !trustDomain.equals(id.trustDomain())) {
            return declined("the client certificate's SPIFFE trust domain " + Quoted.of(id.trustDomain(), 100)
                    + " is not " + trustDomain);
        }
        return Future.succeededFuture(Optional.of(new Principal(id.namespace(), id.serviceAccount(), id.toString(), name(),
                Map.of("spiffe_id", id.toString()))));
    }

    private static Future<Optional<Principal>> declined(String reason) {
        return Future.failedFuture(AuthenticationException.declined(reason));
    }
}
