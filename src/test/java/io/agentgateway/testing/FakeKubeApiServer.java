package io.agentgateway.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the parts of kube-apiserver the gateway uses, speaking their wire format as the
 * Kubernetes API reference gives it:
 * <ul>
 * <li>{@code POST /apis/authentication.k8s.io/v1/tokenreviews} (TokenReview v1: answers 201 with
 *     the spec echoed and a status; {@code authenticated} omitted when false, {@code error} set;
 *     {@code status.audiences} the intersection of the spec's and the token's audiences, the API
 *     server's own audience when the spec has none). The caller must present an accepted token,
 *     else 401 with a {@code Status} object, as the API server does.</li>
 * <li>{@code GET /.well-known/openid-configuration} and {@code GET /openid/v1/jwks} (service-account
 *     issuer discovery), behind the same authentication unless made public.</li>
 * <li>{@code GET /api/v1/namespaces/NS/secrets/NAME} (a v1 Secret, {@code data} base64-encoded;
 *     404 with a {@code Status} when there is none).</li>
 * </ul>
 * Service-account tokens are minted as the API server mints bound tokens: RS256 with a real RSA key,
 * {@code kid} = key thumbprint, {@code iss}, {@code sub} system:serviceaccount:NS:SA, {@code aud},
 * {@code exp}/{@code iat}/{@code nbf}, and the {@code kubernetes.io} claim. Validity is judged
 * against the injected clock. TLS with a test PKI's certificate when given one.
 */
public final class FakeKubeApiServer implements AutoCloseable {
    public static final String ISSUER = "https://kubernetes.default.svc.cluster.local";
    /** As the issuer: the server's own URL (a public OIDC issuer serving its own discovery). */
    public static final String SELF = "self";

    private final Vertx vertx;
    private final Clock clock;
    private volatile String issuer;
    private final List<RSAKey> published = new CopyOnWriteArrayList<>();
    private volatile RSAKey signing;
    private final Set<String> callerTokens = ConcurrentHashMap.newKeySet();
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();
    private final List<JsonObject> reviews = new CopyOnWriteArrayList<>();
    private final List<String> reviewCallers = new CopyOnWriteArrayList<>();
    private final AtomicInteger discoveryFetches = new AtomicInteger();
    private final AtomicInteger jwksFetches = new AtomicInteger();
    private volatile int failWith;
    private volatile boolean publicDiscovery;
    private HttpServer server;
    private String url;

    private FakeKubeApiServer(Clock clock, String issuer) {
        this.vertx = Vertx.vertx();
        this.clock = clock;
        this.issuer = issuer;
        rotateKey();
    }

    /**
     * @param tls   the PKI whose server certificate to serve (null: plain HTTP)
     * @param dir   where to write the server's certificate and key
     */
    public static FakeKubeApiServer start(Clock clock, String issuer, TestPki tls, Path dir) {
        FakeKubeApiServer s = new FakeKubeApiServer(clock, issuer == null ? ISSUER : issuer);
        HttpServerOptions options = new HttpServerOptions();
        if (tls != null) {
            try {
                TestPki.Issued cert = tls.server();
                Path certFile = cert.writeCertificate(Files.createTempFile(dir, "apiserver", ".crt"));
                Path keyFile = cert.writeKey(Files.createTempFile(dir, "apiserver", ".key"));
                options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(certFile.toString()).setKeyPath(keyFile.toString()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        try {
            s.server = s.vertx.createHttpServer(options).requestHandler(s::handle).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        s.url = (tls != null ? "https" : "http") + "://127.0.0.1:" + s.server.actualPort();
        if (SELF.equals(s.issuer)) {
            s.issuer = s.url;
        }
        return s;
    }

    public String url() {
        return url;
    }

    public int port() {
        return server.actualPort();
    }

    public String issuer() {
        return issuer;
    }

    /** Tokens the API server accepts from its callers (the gateway's own token). */
    public FakeKubeApiServer acceptCaller(String token) {
        callerTokens.add(token);
        return this;
    }

    public void forgetCaller(String token) {
        callerTokens.remove(token);
    }

    /** Serve discovery and JWKS without authentication (a public OIDC issuer). */
    public FakeKubeApiServer publicDiscovery() {
        publicDiscovery = true;
        return this;
    }

    /** Answer every request with this HTTP status (0: behave). */
    public void failWith(int status) {
        failWith = status;
    }

    public void revoke(String token) {
        revoked.add(token);
    }

    /** Starts signing with a new key, published beside the old ones. */
    public RSAKey rotateKey() {
        try {
            RSAKey key = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                    .keyIDFromThumbprint(true).generate();
            published.add(key);
            signing = key;
            return key;
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A key that is not published: tokens it signs name a kid the issuer never heard of. */
    public static RSAKey unpublishedKey() {
        try {
            return new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).keyIDFromThumbprint(true).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public RSAKey signingKey() {
        return signing;
    }

    public int tokenReviews() {
        return reviews.size();
    }

    public JsonObject lastReview() {
        return reviews.get(reviews.size() - 1);
    }

    /** The bearer tokens TokenReview callers presented, in order. */
    public List<String> reviewCallers() {
        return List.copyOf(reviewCallers);
    }

    public int discoveryFetches() {
        return discoveryFetches.get();
    }

    public int jwksFetches() {
        return jwksFetches.get();
    }

    // ---- minting --------------------------------------------------------------------------

    /** A bound service-account token for NS/SA, valid for an hour from the clock's now. */
    public String mint(String namespace, String serviceAccount, List<String> audiences) {
        return sign(claims(namespace, serviceAccount, audiences, clock.instant().plus(Duration.ofHours(1))).build(), signing);
    }

    /** The claims the API server puts in a bound token (change them to make bad tokens). */
    public JWTClaimsSet.Builder claims(String namespace, String serviceAccount, List<String> audiences, Instant exp) {
        Instant now = clock.instant();
        Map<String, Object> k8s = new LinkedHashMap<>();
        k8s.put("namespace", namespace);
        k8s.put("pod", Map.of("name", serviceAccount + "-7d9c8b5f4-x2x9q", "uid", UUID.randomUUID().toString()));
        k8s.put("serviceaccount", Map.of("name", serviceAccount, "uid", UUID.randomUUID().toString()));
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject("system:serviceaccount:" + namespace + ":" + serviceAccount)
                .audience(audiences)
                .expirationTime(Date.from(exp))
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .jwtID(UUID.randomUUID().toString())
                .claim("kubernetes.io", k8s);
    }

    public static String sign(JWTClaimsSet claims, RSAKey key) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- serving ----------------------------------------------------------------------------

    private void handle(HttpServerRequest req) {
        if (SECRET_PATH.matcher(req.path()).matches()) {
            secretReads.incrementAndGet();
        }
        if (failWith != 0) {
            req.response().setStatusCode(failWith).putHeader("content-type", "application/json")
                    .end(status(failWith, "InternalError", "the server is failing as the test asked").encode());
            return;
        }
        String path = req.path();
        boolean discovery = path.equals("/.well-known/openid-configuration") || path.equals("/openid/v1/jwks");
        String caller = bearer(req);
        if (!(discovery && publicDiscovery) && (caller == null || !callerTokens.contains(caller))) {
            req.response().setStatusCode(401).putHeader("content-type", "application/json")
                    .end(status(401, "Unauthorized", "Unauthorized").encode());
            return;
        }
        switch (path) {
            case "/.well-known/openid-configuration" -> {
                discoveryFetches.incrementAndGet();
                req.response().putHeader("content-type", "application/json").end(new JsonObject()
                        .put("issuer", issuer)
                        .put("jwks_uri", url + "/openid/v1/jwks")
                        .put("response_types_supported", new JsonArray().add("id_token"))
                        .put("subject_types_supported", new JsonArray().add("public"))
                        .put("id_token_signing_alg_values_supported", new JsonArray().add("RS256")).encode());
            }
            case "/openid/v1/jwks" -> {
                jwksFetches.incrementAndGet();
                List<com.nimbusds.jose.jwk.JWK> keys = new ArrayList<>();
                published.forEach(k -> keys.add(k.toPublicJWK()));
                req.response().putHeader("content-type", "application/jwk-set+json")
                        .end(new JWKSet(keys).toString(true));
            }
            case "/apis/authentication.k8s.io/v1/tokenreviews" -> {
                if (req.method() != io.vertx.core.http.HttpMethod.POST) {
                    req.response().setStatusCode(405).end(status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource").encode());
                    return;
                }
                reviewCallers.add(bearer(req));
                req.body().onSuccess(b -> tokenReview(req, new JsonObject(b)));
            }
            default -> {
                java.util.regex.Matcher m = SECRET_PATH.matcher(path);
                if (m.matches() && req.method() == io.vertx.core.http.HttpMethod.GET) {
                    secret(req, m.group(1), m.group(2));
                    return;
                }
                req.response().setStatusCode(404).putHeader("content-type", "application/json")
                        .end(status(404, "NotFound", "the server could not find the requested resource").encode());
            }
        }
    }

    private static final java.util.regex.Pattern SECRET_PATH = java.util.regex.Pattern.compile("/api/v1/namespaces/([^/]+)/secrets/([^/]+)");
    private final Map<String, Map<String, String>> secrets = new ConcurrentHashMap<>();
    private final AtomicInteger secretReads = new AtomicInteger();

    /** Stores a Secret ({@code namespace/name}) the API serves as a v1 Secret object, values base64-encoded in {@code data}. */
    public void putSecret(String namespace, String name, Map<String, String> data) {
        secrets.put(namespace + "/" + name, Map.copyOf(data));
    }

    public int secretReads() {
        return secretReads.get();
    }

    private void secret(HttpServerRequest req, String namespace, String name) {
        Map<String, String> data = secrets.get(namespace + "/" + name);
        if (data == null) {
            req.response().setStatusCode(404).putHeader("content-type", "application/json")
                    .end(status(404, "NotFound", "secrets \"" + name + "\" not found").encode());
            return;
        }
        JsonObject encoded = new JsonObject();
        data.forEach((k, v) -> encoded.put(k, java.util.Base64.getEncoder().encodeToString(v.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        req.response().putHeader("content-type", "application/json").end(new JsonObject()
                .put("kind", "Secret").put("apiVersion", "v1")
                .put("metadata", new JsonObject().put("name", name).put("namespace", namespace))
                .put("type", "Opaque").put("data", encoded).encode());
    }

    private void tokenReview(HttpServerRequest req, JsonObject review) {
        reviews.add(review);
        if (!"TokenReview".equals(review.getString("kind")) || !"authentication.k8s.io/v1".equals(review.getString("apiVersion"))) {
            req.response().setStatusCode(400).end(status(400, "BadRequest", "not a TokenReview").encode());
            return;
        }
        JsonObject spec = review.getJsonObject("spec", new JsonObject());
        String token = spec.getString("token", "");
        List<String> wanted = new ArrayList<>();
        spec.getJsonArray("audiences", new JsonArray()).forEach(a -> wanted.add((String) a));
        if (wanted.isEmpty()) {
            wanted.add(issuer); // the API server's own audience
        }
        JsonObject status = new JsonObject();
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            RSAKey key = published.stream().filter(k -> k.getKeyID().equals(jwt.getHeader().getKeyID())).findFirst().orElse(null);
            JWTClaimsSet c = jwt.getJWTClaimsSet();
            Instant now = clock.instant();
            List<String> common = c.getAudience().stream().filter(wanted::contains).toList();
            String error = key == null || !jwt.verify(new RSASSAVerifier(key)) ? "invalid bearer token, square/go-jose: error in cryptographic primitive"
                    : !issuer.equals(c.getIssuer()) ? "invalid bearer token, token issuer is not trusted"
                    : c.getExpirationTime() == null || !now.isBefore(c.getExpirationTime().toInstant()) ? "invalid bearer token, service account token has expired"
                    : c.getNotBeforeTime() != null && now.isBefore(c.getNotBeforeTime().toInstant()) ? "invalid bearer token, service account token is not valid yet"
                    : common.isEmpty() ? "invalid bearer token, token audiences " + c.getAudience() + " is invalid for the target audiences " + wanted
                    : revoked.contains(token) ? "invalid bearer token, service account token has been invalidated"
                    : null;
            if (error != null) {
                status.put("user", new JsonObject()).put("error", "[" + error + "]");
            } else {
                @SuppressWarnings("unchecked")
                Map<String, Object> k8s = (Map<String, Object>) c.getClaim("kubernetes.io");
                JsonObject extra = new JsonObject();
                String ns = null;
                if (k8s != null) {
                    ns = (String) k8s.get("namespace");
                    @SuppressWarnings("unchecked")
                    Map<String, Object> pod = (Map<String, Object>) k8s.get("pod");
                    if (pod != null) {
                        extra.put("authentication.kubernetes.io/pod-name", new JsonArray().add(pod.get("name")));
                        extra.put("authentication.kubernetes.io/pod-uid", new JsonArray().add(pod.get("uid")));
                    }
                }
                JsonArray groups = new JsonArray();
                if (ns != null) {
                    groups.add("system:serviceaccounts").add("system:serviceaccounts:" + ns);
                }
                groups.add("system:authenticated");
                status.put("authenticated", true)
                        .put("user", new JsonObject().put("username", c.getSubject()).put("uid", UUID.randomUUID().toString())
                                .put("groups", groups).put("extra", extra))
                        .put("audiences", new JsonArray(common));
            }
        } catch (Exception e) {
            status.put("user", new JsonObject()).put("error", "[invalid bearer token, token lookup failed]");
        }
        req.response().setStatusCode(201).putHeader("content-type", "application/json").end(new JsonObject()
                .put("kind", "TokenReview")
                .put("apiVersion", "authentication.k8s.io/v1")
                .put("metadata", new JsonObject().putNull("creationTimestamp"))
                .put("spec", spec)
                .put("status", status).encode());
    }

    private static String bearer(HttpServerRequest req) {
        String h = req.getHeader("authorization");
        return h != null && h.startsWith("Bearer ") ? h.substring(7) : null;
    }

    private static JsonObject status(int code, String reason, String message) {
        return new JsonObject().put("kind", "Status").put("apiVersion", "v1").put("metadata", new JsonObject())
                .put("status", "Failure").put("message", message).put("reason", reason).put("code", code);
    }

    @Override
    public void close() {
        try {
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing anyway
        }
    }
}
