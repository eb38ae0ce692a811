package io.agentgateway.kube;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.PemTrustOptions;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HTTP clients that identity checks use to reach the Kubernetes API server and OIDC issuers:
 * one pooled, keep-alive Vert.x client per set of trust anchors (a CA bundle, or the JVM's default
 * trust), shared by every config the process compiles. Clients outlive config reloads, so a reload
 * neither leaks a client nor drops warm connections to the API server.
 *
 * <p>Thread-safe. Lives as long as the process; {@link #close()} at shutdown.
 */
public final class IdentityHttpClients implements AutoCloseable {
    private static final String DEFAULT_TRUST = "jvm-default-trust";

    private final Vertx vertx;
    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

    public IdentityHttpClients(Vertx vertx) {
        this.vertx = vertx;
    }

    /**
     * The client trusting exactly the certificates of {@code caPem} (PEM, one or more), or the JVM's
     * default trust store when {@code caPem} is null.
     */
    public HttpClient trusting(Buffer caPem) {
        String key = caPem == null ? DEFAULT_TRUST : sha256(caPem);
        return clients.computeIfAbsent(key, k -> {
            HttpClientOptions options = new HttpClientOptions()
                    .setName("identity-" + k.substring(0, Math.min(12, k.length())))
                    .setKeepAlive(true)
                    .setKeepAliveTimeout(60)
                    .setConnectTimeout(5_000)
                    .setMaxHeaderSize(64 * 1024)
                    .setVerifyHost(true);
            if (caPem != null) {
                options.setTrustOptions(new PemTrustOptions().addCertValue(caPem));
            }
            return vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(32).setMaxWaitQueueSize(1024));
        });
    }

    private static String sha256(Buffer b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.getBytes()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        clients.values().forEach(HttpClient::close);
        clients.clear();
    }
}
