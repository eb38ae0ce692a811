package io.agentgateway.identity;

import io.agentgateway.core.ConstantTime;
import io.agentgateway.config.Secret;
import io.agentgateway.secret.SecretRef;
import io.vertx.core.Future;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code type: api_key}: keys held in Secrets (read fresh, so rotation needs no reload) or given
 * as {@code sha256:} digests, each mapped to a namespace and optional service account. The key is
 * read from {@code Authorization: Bearer} (or the configured {@code header}). A bearer token shaped
 * like a JWT is left to the token methods. A presented key is found by its SHA-256 digest in a
 * hash map, so the cost does not grow with the number of keys, and timing says nothing about how
 * close a guess came (the map sees only the digest); the entry found is then compared in constant
 * time against the key's current digest. The map is rebuilt when a key's Secret has rotated: a
 * digest that is no longer current never matches, and a new one is found after the rebuild.
 *
 * <p>Each event loop remembers the last keys it found ({@link Recent}): a key presented again is
 * compared with the one remembered in constant time and checked against its key's current digest,
 * without hashing it again (SHA-256 of the key was a few percent of a request's CPU and four
 * arrays). Only keys that were found are remembered, never a guess.
 *
 * <p>Thread-safe: the index is an immutable snapshot swapped atomically; what an event loop
 * remembers is its own.
 */
public final class ApiKeyAuthenticator implements Authenticator {
    /** One configured key: its digest comes from a Secret (fresh per call) or is fixed. */
    public record Key(String name, SecretRef secret, byte[] sha256, String namespace, String serviceAccount) {
    }

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private final List<Compiled> keys;
    private final String header;
    private volatile Index index;
    private final ThreadLocal<Recent> recent = ThreadLocal.withInitial(Recent::new);

    /**
     * The keys one thread found lately, each with the digest it was found under, in a small table
     * indexed by the presented value's hash (a newer key replaces an older one in its slot).
     * Confined to one thread.
     */
    private static final class Recent {
        private static final int SLOTS = 64;
        final String[] presented = new String[SLOTS];
        final Compiled[] found = new Compiled[SLOTS];
        final byte[][] digests = new byte[SLOTS][];

        static int slot(String presented) {
            int h = presented.hashCode();
            return (h ^ (h >>> 16)) & (SLOTS - 1);
        }
    }

    /** The digests of one moment, with the Secret values they were computed from. */
    private record Index(Map<ByteBuffer, Compiled> byDigest, List<Secret> from) {
    }

    /** A key with its principal built once, and the digest of its Secret kept until the Secret rotates. */
    private static final class Compiled {
        final Future<Optional<Principal>> principal;
        private final Key key;
        private volatile DigestOf digest;

        Compiled(Key key) {
            this.key = key;
            Map<String, Object> claims = Map.of("api_key", key.name());
            Principal p = key.serviceAccount() != null
                    ? Principal.serviceAccount(key.namespace(), key.serviceAccount(), "api_key", claims)
                    : new Principal(key.namespace(), null, "apikey:" + key.name(), "api_key", claims);
            this.principal = Future.succeededFuture(Optional.of(p));
        }

        byte[] expected() {
            if (key.sha256() != null) {
                return key.sha256();
            }
            Secret s = key.secret() == null ? null : key.secret().current();
            if (s == null) {
                return null;
            }
            DigestOf d = digest;
            if (d == null || d.secret() != s) {
                d = new DigestOf(s, sha256(s.reveal()));
                digest = d;
            }
            return d.sha256();
        }
    }

    private record DigestOf(Secret secret, byte[] sha256) {
    }

    /** @param header the header carrying the key, or null for {@code Authorization: Bearer} */
    public ApiKeyAuthenticator(List<Key> keys, String header) {
        this.keys = keys.stream().map(Compiled::new).toList();
        this.header = header == null ? null : header.toLowerCase(java.util.Locale.ROOT);
        this.index = index();
    }

    private Index index() {
        Map<ByteBuffer, Compiled> byDigest = new HashMap<>(keys.size() * 2);
        List<Secret> from = new ArrayList<>(keys.size());
        for (Compiled k : keys) {
            from.add(k.key.secret() == null ? null : k.key.secret().current());
            byte[] expected = k.expected();
            if (expected != null) {
                byDigest.putIfAbsent(ByteBuffer.wrap(expected), k);
            }
        }
        return new Index(Map.copyOf(byDigest), from);
    }

    /** True when some key's Secret changed since the index was built (identity checks only, no hashing). */
    private boolean stale(Index current) {
        for (int i = 0; i < keys.size(); i++) {
            SecretRef ref = keys.get(i).key.secret();
            if (ref != null && ref.current() != current.from().get(i)) {
                return true;
            }
        }
        return false;
    }

    private Compiled find(byte[] digest) {
        Index current = index;
        Compiled found = current.byDigest().get(ByteBuffer.wrap(digest));
        byte[] expected = found == null ? null : found.expected();
        if (expected != null && MessageDigest.isEqual(expected, digest)) {
            return found;
        }
        // Not found, or found under a digest its Secret no longer has: rebuild if a Secret rotated.
        if (stale(current)) {
            current = index();
            index = current;
            found = current.byDigest().get(ByteBuffer.wrap(digest));
            expected = found == null ? null : found.expected();
            if (expected != null && MessageDigest.isEqual(expected, digest)) {
                return found;
            }
        }
        return null;
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
        Recent r = recent.get();
        int slot = Recent.slot(presented);
        String known = r.presented[slot];
        if (known != null && ConstantTime.equal(known, presented)) {
            Compiled c = r.found[slot];
            byte[] expected = c.expected();
            // Still the key's digest: its Secret has not rotated (or gone) since it was found.
            if (expected != null && MessageDigest.isEqual(expected, r.digests[slot])) {
                return c.principal;
            }
        }
        byte[] digest = sha256(presented);
        Compiled found = find(digest);
        if (found == null) {
            return Future.failedFuture(AuthenticationException.invalid("the API key is not valid"));
        }
        r.presented[slot] = presented;
        r.found[slot] = found;
        r.digests[slot] = digest;
        return found.principal;
    }

    /** Parses a {@code sha256:HEX} config value. */
    public static byte[] parseHash(String keyHash) {
        return HexFormat.of().parseHex(keyHash.substring("sha256:".length()));
    }

    static byte[] sha256(String s) {
        // One digest object per thread: MessageDigest.getInstance is a provider lookup and an
        // allocation per presented key, and digest() leaves the object reset for the next one.
        return SHA256.get().digest(s.getBytes(StandardCharsets.UTF_8));
    }
}
