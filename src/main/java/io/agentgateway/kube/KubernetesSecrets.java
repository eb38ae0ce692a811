package io.agentgateway.kube;

import io.agentgateway.core.Jackson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads Secrets of the gateway's own namespace from the Kubernetes API ({@code GET
 * /api/v1/namespaces/NS/secrets/NAME}), the fallback for secrets that are not mounted.
 * Authenticates with the pod's service-account token (re-read on every call, as it rotates)
 * and trusts only the cluster CA. Needs RBAC {@code get} on those Secrets.
 *
 * <p>Blocking (java.net.http): call it from worker threads only, never an event loop. Thread-safe.
 */
public final class KubernetesSecrets {
    private static final ObjectMapper JSON = Jackson.MAPPER;

    private final HttpClient http;
    private final URI base;
    private final Path tokenFile;
    private final String namespace;

    public KubernetesSecrets(URI base, Path caFile, Path tokenFile, String namespace) throws IOException {
        this.base = base;
        this.tokenFile = tokenFile;
        this.namespace = namespace;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(trusting(caFile)).build();
    }

    /**
     * The in-cluster reader: the API server from {@code KUBERNETES_SERVICE_HOST}/{@code _PORT}, the
     * mounted token, CA and namespace. Empty outside a cluster (or when the mount is missing).
     */
    public static Optional<KubernetesSecrets> inCluster(Function<String, String> env) {
        Optional<URI> api = KubernetesApi.locate(null, env);
        Path dir = Path.of(io.agentgateway.config.KubernetesApiConfig.SA_DIR);
        if (api.isEmpty() || !Files.isReadable(dir.resolve("token")) || !Files.isReadable(dir.resolve("namespace"))) {
            return Optional.empty();
        }
        try {
            return Optional.of(new KubernetesSecrets(api.get(), dir.resolve("ca.crt"), dir.resolve("token"),
                    Files.readString(dir.resolve("namespace")).trim()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The value of {@code key} in Secret {@code name}; empty when the Secret or key does not exist.
     *
     * @throws IOException when the API cannot be asked (unreachable, forbidden): the caller keeps what it had
     */
    public Optional<String> read(String name, String key) throws IOException {
        URI uri = base.resolve("/api/v1/namespaces/" + encode(namespace) + "/secrets/" + encode(name));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                .header("authorization", "Bearer " + Files.readString(tokenFile).trim())
                .header("accept", "application/json").GET().build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw new IOException("the API server answered " + response.statusCode() + " reading secret " + name
                    + (response.statusCode() == 403 ? " (the gateway's service account needs get on secrets)" : ""));
        }
        JsonNode value = JSON.readTree(response.body()).path("data").path(key);
        if (!value.isTextual()) {
            return Optional.empty();
        }
        return Optional.of(new String(Base64.getDecoder().decode(value.asText()), StandardCharsets.UTF_8));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static SSLContext trusting(Path caFile) throws IOException {
        try {
            return caFile == null || !Files.isReadable(caFile) ? SSLContext.getDefault() : CaBundle.sslContext(caFile);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
    }
}
