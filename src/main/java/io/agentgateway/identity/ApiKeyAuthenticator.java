package io.agentgateway.identity;

import io.agentgateway.config.Secret;
import io.agentgateway.secret.SecretRef;
import io.vertx.core.Future;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code type: api_key}: keys held in Secrets (read fresh, so rotation needs no reload) or given
 * as {@code sha256:} digests, each mapped to a namespace and optional service account. The key is
 * read from {@code Authorization: Bearer} (or the configured {@code header}). A bearer token shaped
 * like a JWT is left to the token methods. Keys are compared as SHA-256 digests in constant time,
 * and every configured key is compared, so timing says nothing about which one nearly matched.
 *
 * <p>Immutable and thread-safe.
 */
public final class ApiKeyAuthenticator implements Authenticator {
    /** One configured key: its digest comes from a Secret (fresh per call) or is fixed. */
    public record Key(String name, SecretRef secret, byte[] sha256, String namespace, String serviceAccount) {
    }

    private final List<Key> keys;
    private final String header;

    /** @param header the header carrying the key, or null for {@code Authorization: Bearer} */
    public ApiKeyAuthenticator(List<Key> keys, String header) {
        this.keys = List.copyOf(keys);
        this.header = header == null ? null : header.toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String name() {
        return "api_key";
    }

    @Override
    public Future<Optional<Principal>> authenticate(Credentials credentials) {
        String presented = header == null ? credentials.bearerToken() : credentials.headers().get(header);
        if (presented == null || presented.isEmpty() || (header == null && JwtShape.looksLikeJwt(presented))) {
            return Authentication.notMine();
        }
        byte[] digest = sha256(presented);
        Key found = null;
        for (Key k : keys) {
            byte[] expected = k.sha256() != null ? k.sha256() : current(k.secret());
            if (expected != null && MessageDigest.isEqual(expected, digest) && found == null) {
                found = k;
            }
        }
        if (found == null) {
            return Future.failedFuture(AuthenticationException.invalid("the API key is not valid"));
        }
        Map<String, Object> claims = Map.of("api_key", found.name());
        Principal p = found.serviceAccount() != null
                ? Principal.serviceAccount(found.namespace(), found.serviceAccount(), name(), claims)
                : new Principal(found.namespace(), null, "apikey:" + found.name(), name(), claims);
        return Future.succeededFuture(Optional.of(p));
    }

    private static byte[] current(SecretRef ref) {
        Secret s = ref == null ? null : ref.current();
        return s == null ? null : sha256(s.reveal());
    }

    /** Parses a {@code sha256:HEX} config value. */
    public static byte[] parseHash(String keyHash) {
        return HexFormat.of().parseHex(keyHash.substring("sha256:".length()));
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
