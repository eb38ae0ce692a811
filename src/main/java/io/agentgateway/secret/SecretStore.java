package io.agentgateway.secret;

import io.agentgateway.config.Secret;
import io.agentgateway.kube.KubernetesSecrets;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Resolves secrets named in the config: first {@code secrets_dir/NAME/KEY} (a
 * Kubernetes Secret mounted as a folder), else the Secret {@code NAME} of the gateway's own
 * namespace through the Kubernetes API (in a cluster; asked again every minute), else the
 * environment variable {@code NAME} upper-cased with {@code -} as {@code _}. File-backed values are re-read in the background, so a rotated
 * Secret takes effect without a restart. Values are trimmed of a trailing newline.
 *
 * <p>Thread-safe. Lives as long as the process; {@link #ref} may be called at config compile time
 * (it reads once, blocking), {@link SecretRef#current()} anywhere.
 */
public final class SecretStore {
    private static final Logger log = LoggerFactory.getLogger(SecretStore.class);

    /** How often a secret read from the Kubernetes API is asked for again (the API is not a file system). */
    private static final long API_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final long apiRefreshNanos;
    private final Function<String, String> env;
    private final KubernetesSecrets api;
    private final Map<String, SecretRef> refs = new ConcurrentHashMap<>();
    private final Map<SecretRef, Long> apiReadAt = new ConcurrentHashMap<>();
    private volatile Path dir;
    private long timer = -1;

    public SecretStore(Path dir, Function<String, String> env) {
        this(dir, env, null);
    }

    /** @param api the Kubernetes API fallback for secrets that are not mounted, or null outside a cluster */
    public SecretStore(Path dir, Function<String, String> env, KubernetesSecrets api) {
        this(dir, env, api, API_REFRESH_NANOS);
    }

    SecretStore(Path dir, Function<String, String> env, KubernetesSecrets api, long apiRefreshNanos) {
        this.dir = dir;
        this.env = env;
        this.api = api;
        this.apiRefreshNanos = apiRefreshNanos;
    }

    /** Points the store at a (new) {@code secrets_dir}; re-resolves every known secret. Blocking. */
    public void directory(Path newDir) {
        this.dir = newDir;
        refreshAll();
    }

    public Path directory() {
        return dir;
    }

    /**
     * The secret {@code name/key} as a config about to be planned sees it, touching nothing: the
     * reference this store already keeps fresh when it has one, else a new one it does not know
     * yet (unresolved). A plan that is rejected leaves the store as it was; one that goes live
     * hands its references to {@link #activate}.
     */
    public SecretRef declare(String name, String key) {
        SecretRef known = refs.get(name + "/" + key);
        return known != null ? known : new SecretRef(name, key);
    }

    /**
     * Makes a planned config's secrets live: points the store at its {@code secrets_dir} (null for
     * none), starts keeping {@code declared} fresh, and re-resolves every known secret. Blocking.
     * Serialise calls (the gateway applies one config at a time): two plans declaring the same new
     * secret at once would otherwise hold different references.
     */
    public void activate(Path newDir, Collection<SecretRef> declared) {
        this.dir = newDir;
        for (SecretRef ref : declared) {
            refs.putIfAbsent(ref.name() + "/" + ref.key(), ref);
        }
        refreshAll();
    }

    /** The secret {@code name/key}, resolved now (blocking read) and kept fresh afterwards. */
    public SecretRef ref(String name, String key) {
        SecretRef ref = refs.computeIfAbsent(name + "/" + key, k -> new SecretRef(name, key));
        resolve(ref);
        return ref;
    }

    /** Starts re-reading file-backed secrets every {@code periodMillis} on a worker thread. */
    public void watch(Vertx vertx, long periodMillis) {
        if (timer >= 0) {
            return;
        }
        timer = vertx.setPeriodic(periodMillis, id -> vertx.executeBlocking(() -> {
            refreshAll();
            return null;
        }, false));
    }

    public void stop(Vertx vertx) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    public List<SecretRef> unresolved(List<SecretRef> wanted) {
        return wanted.stream().filter(r -> !r.resolved()).toList();
    }

    private void refreshAll() {
        for (SecretRef ref : refs.values()) {
            resolve(ref);
        }
    }

    private void resolve(SecretRef ref) {
        Secret value = null;
        String source = null;
        Path d = dir;
        if (d != null) {
            Path file = d.resolve(ref.name()).resolve(ref.key());
            if (Files.isReadable(file)) {
                try {
                    value = Secret.of(trimNewline(Files.readString(file, StandardCharsets.UTF_8)));
                    source = "file";
                } catch (IOException e) {
                    log.warn("cannot read secret {} from {}: {}", ref, file, e.getClass().getSimpleName());
                }
            }
        }
        if (value == null && api != null) {
            Long last = apiReadAt.get(ref);
            if (last != null && System.nanoTime() - last < apiRefreshNanos && "kubernetes api".equals(ref.source())) {
                return; // read recently; keep it until the next refresh
            }
            try {
                var read = api.read(ref.name(), ref.key());
                apiReadAt.put(ref, System.nanoTime());
                if (read.isPresent() && !read.get().isEmpty()) {
                    value = Secret.of(trimNewline(read.get()));
                    source = "kubernetes api";
                }
            } catch (IOException e) {
                if ("kubernetes api".equals(ref.source())) {
                    // Keep the value we have rather than lose it to a passing API outage.
                    log.warn("cannot refresh secret {} from the Kubernetes API: {}", ref, e.getMessage());
                    return;
                }
                log.warn("cannot read secret {} from the Kubernetes API: {}", ref, e.getMessage());
            }
        }
        if (value == null) {
            String envName = envName(ref.name());
            String v = env.apply(envName);
            if (v != null && !v.isEmpty()) {
                value = Secret.of(trimNewline(v));
                source = "env " + envName;
            }
        }
        boolean wasResolved = ref.resolved();
        if (ref.update(value, source) && wasResolved) {
            log.info("secret {} changed (now from {})", ref, source == null ? "nowhere" : source);
        }
    }

    /** The environment variable a secret falls back to: {@code openai-credentials} -> {@code OPENAI_CREDENTIALS}. */
    public static String envName(String secretName) {
        return secretName.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    }

    private static String trimNewline(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return s.substring(0, end);
    }
}
