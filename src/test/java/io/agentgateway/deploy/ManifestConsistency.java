package io.agentgateway.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentgateway.config.ConfigError;
import io.agentgateway.config.ConfigException;
import io.agentgateway.config.ConfigLoader;
import io.agentgateway.config.GatewayConfig;
import io.agentgateway.config.ListenerConfig;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks that a set of Kubernetes manifests runs the gateway the way its own config says: the
 * ConfigMap's config.yaml loads with the real {@link ConfigLoader}; container and Service ports
 * are the listeners' and the admin port; probes hit /healthz and /readyz on the admin port; the
 * pod outlives the drain; every named secret is mounted and readable; every writable path the
 * config needs is writable; the Redis the config names exists. Returns problems, never throws on
 * a mismatch, so tests can also prove a drifted copy is caught.
 */
final class ManifestConsistency {
    static final String CONTAINER = "agentgateway";
    private static final Pattern ENV_REF = Pattern.compile("(?<!\\$)\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-[^}]*)?}");

    private final Manifests m;
    private final List<String> problems = new ArrayList<>();

    private ManifestConsistency(Manifests m) {
        this.m = m;
    }

    static List<String> problems(Manifests manifests) {
        ManifestConsistency c = new ManifestConsistency(manifests);
        c.run();
        return c.problems;
    }

    /** The config.yaml of the (single) ConfigMap that carries one. */
    static String configText(Manifests m) {
        return m.all("ConfigMap").stream().filter(c -> c.path("data").has("config.yaml")).findFirst()
                .orElseThrow(() -> new AssertionError(m.source() + ": no ConfigMap with config.yaml"))
                .path("data").path("config.yaml").asText();
    }

    /** Loads config.yaml with an empty environment (so ${VAR} without a default is an error here too). */
    static GatewayConfig load(String configText) throws ConfigException {
        return new ConfigLoader(name -> null).parse(configText, null);
    }

    private void run() {
        String text = configText(m);
        GatewayConfig config;
        try {
            config = load(text);
        } catch (ConfigException e) {
            e.errors().stream().map(ConfigError::toString).forEach(err -> problem("config.yaml: " + err));
            return;
        }
        JsonNode deployment = m.one("Deployment");
        JsonNode pod = deployment.path("spec").path("template");
        JsonNode container = container(pod);
        Map<String, Integer> ports = new HashMap<>();
        container.path("ports").forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
        int admin = config.admin().port();

        for (ListenerConfig l : config.listeners()) {
            expect(Integer.valueOf(l.port()).equals(ports.get(l.name())),
                    "container port " + l.name() + " is " + ports.get(l.name()) + ", the listener's port is " + l.port());
        }
        expect(Integer.valueOf(admin).equals(ports.get("metrics")),
                "container port metrics is " + ports.get("metrics") + ", admin.port is " + admin);
        probe(container, "startupProbe", "/healthz", ports, admin);
        probe(container, "livenessProbe", "/healthz", ports, admin);
        probe(container, "readinessProbe", "/readyz", ports, admin);

        long grace = config.shutdown().gracePeriod().toSeconds();
        long preStop = container.path("lifecycle").path("preStop").path("sleep").path("seconds").asLong(0);
        long termination = pod.path("spec").path("terminationGracePeriodSeconds").asLong(30);
        expect(termination > grace + preStop, "terminationGracePeriodSeconds " + termination
                + " does not exceed shutdown.grace_period " + grace + "s + preStop " + preStop + "s");

        configMount(pod, container);
        secrets(config, text, pod, container);
        writablePaths(config, pod, container);
        env(text, container);
        service(config, pod, ports);
        redis(config);
    }

    private JsonNode container(JsonNode pod) {
        for (JsonNode c : pod.path("spec").path("containers")) {
            if (CONTAINER.equals(c.path("name").asText())) {
                return c;
            }
        }
        throw new AssertionError(m.source() + ": no container " + CONTAINER);
    }

    private void probe(JsonNode container, String kind, String path, Map<String, Integer> ports, int admin) {
        JsonNode get = container.path(kind).path("httpGet");
        JsonNode port = get.path("port");
        Integer resolved = port.isInt() ? Integer.valueOf(port.asInt()) : ports.get(port.asText());
        expect(path.equals(get.path("path").asText()) && Integer.valueOf(admin).equals(resolved),
                kind + " is GET " + get.path("path").asText() + " on port " + port + ", expected " + path + " on the admin port " + admin);
    }

    /** --config FILE must be config.yaml of the ConfigMap, mounted as a directory (subPath would never see updates). */
    private void configMount(JsonNode pod, JsonNode container) {
        List<String> args = new ArrayList<>();
        container.path("args").forEach(a -> args.add(a.asText()));
        int at = args.indexOf("--config");
        expect(at >= 0 && at + 1 < args.size() && "run".equals(args.getFirst()), "args are " + args + ", expected run --config FILE");
        if (at < 0 || at + 1 >= args.size()) {
            return;
        }
        Path file = Path.of(args.get(at + 1));
        String configMap = m.all("ConfigMap").stream().filter(c -> c.path("data").has("config.yaml")).findFirst()
                .map(c -> c.path("metadata").path("name").asText()).orElse("");
        JsonNode mount = mountAt(container, file.getParent().toString());
        JsonNode volume = mount == null ? null : volume(pod, mount.path("name").asText());
        expect("config.yaml".equals(file.getFileName().toString()) && volume != null
                        && configMap.equals(volume.path("configMap").path("name").asText()) && !mount.has("subPath"),
                "--config " + file + " is not config.yaml of ConfigMap " + configMap + " mounted as a directory (no subPath)");
    }

    private void secrets(GatewayConfig config, String text, JsonNode pod, JsonNode container) {
        Set<String> names = secretNames(text);
        Set<String> readable = new LinkedHashSet<>();
        m.all("Role").forEach(r -> r.path("rules").forEach(rule -> {
            if (rule.path("resources").toString().contains("\"secrets\"") && rule.path("verbs").toString().contains("\"get\"")) {
                rule.path("resourceNames").forEach(n -> readable.add(n.asText()));
            }
        }));
        for (String name : names) {
            JsonNode mount = config.secretsDir() == null ? null : mountAt(container, config.secretsDir() + "/" + name);
            JsonNode volume = mount == null ? null : volume(pod, mount.path("name").asText());
            expect(volume != null && name.equals(volume.path("secret").path("secretName").asText()),
                    "secret " + name + " is not mounted at secrets_dir/" + name);
            expect(readable.contains(name), "the Role does not let the gateway get Secret " + name);
        }
        if (text.contains("type: kubernetes")) {
            boolean review = m.all("ClusterRole").stream().anyMatch(r -> r.path("rules").toString().contains("\"tokenreviews\"")
                    && r.path("rules").toString().contains("\"create\""));
            String sa = pod.path("spec").path("serviceAccountName").asText();
            boolean bound = m.all("ClusterRoleBinding").stream().anyMatch(b -> b.path("subjects").toString().contains("\"" + sa + "\""));
            expect(review && bound, "kubernetes authentication needs tokenreviews: create bound to service account " + sa);
        }
    }

    /** The values of every *_secret key in the config. */
    static Set<String> secretNames(String configText) {
        Set<String> names = new LinkedHashSet<>();
        try {
            collectSecrets(Manifests.YAML.readTree(configText), names);
        } catch (Exception e) {
            throw new AssertionError("config.yaml is not YAML: " + e.getMessage(), e);
        }
        return names;
    }

    private static void collectSecrets(JsonNode node, Set<String> into) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getKey().endsWith("_secret") && e.getValue().isTextual()) {
                    into.add(e.getValue().asText());
                } else {
                    collectSecrets(e.getValue(), into);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectSecrets(n, into));
        }
    }

    private void writablePaths(GatewayConfig config, JsonNode pod, JsonNode container) {
        if (!container.path("securityContext").path("readOnlyRootFilesystem").asBoolean(false)) {
            problem("the root filesystem is writable: readOnlyRootFilesystem should be true");
        }
        List<String> writable = new ArrayList<>(List.of("/tmp"));
        config.observability().logging().output().forEach(o -> {
            if (o.spoolDir() != null) {
                writable.add(o.spoolDir());
            }
            if (o.path() != null) {
                writable.add(Path.of(o.path()).getParent().toString());
            }
        });
        for (String dir : writable) {
            JsonNode mount = mountAt(container, dir);
            JsonNode volume = mount == null ? null : volume(pod, mount.path("name").asText());
            expect(volume != null && (volume.has("emptyDir") || volume.has("persistentVolumeClaim")) && !mount.path("readOnly").asBoolean(),
                    dir + " must be a writable volume (the root filesystem is read-only)");
        }
    }

    private void env(String text, JsonNode container) {
        Set<String> defined = new LinkedHashSet<>();
        container.path("env").forEach(e -> defined.add(e.path("name").asText()));
        Matcher ref = ENV_REF.matcher(text);
        while (ref.find()) {
            expect(ref.group(2) != null || defined.contains(ref.group(1)),
                    "config.yaml uses ${" + ref.group(1) + "} without a default and the container does not set it");
        }
        expect(defined.contains("POD_NAME"), "POD_NAME is not set: audit events would not name the replica");
    }

    private void service(GatewayConfig config, JsonNode pod, Map<String, Integer> ports) {
        JsonNode labels = pod.path("metadata").path("labels");
        JsonNode svc = m.all("Service").stream().filter(s -> Manifests.selects(s.path("spec").path("selector"), labels))
                .findFirst().orElse(null);
        if (svc == null) {
            problem("no Service selects the gateway's pods");
            return;
        }
        Map<String, JsonNode> svcPorts = new HashMap<>();
        svc.path("spec").path("ports").forEach(p -> svcPorts.put(p.path("name").asText(), p));
        for (ListenerConfig l : config.listeners()) {
            JsonNode p = svcPorts.get(l.name());
            expect(p != null && p.path("port").asInt() == l.port() && targets(p, ports, l.port()),
                    "Service port " + l.name() + " does not expose listener port " + l.port());
        }
        JsonNode metrics = svcPorts.get("metrics");
        expect(metrics != null && targets(metrics, ports, config.admin().port()), "Service has no metrics port to the admin port");
        for (JsonNode sm : m.all("ServiceMonitor")) {
            expect(Manifests.selects(sm.path("spec").path("selector").path("matchLabels"), svc.path("metadata").path("labels")),
                    "the ServiceMonitor's selector does not match the Service's labels");
            expect("metrics".equals(sm.path("spec").path("endpoints").path(0).path("port").asText()),
                    "the ServiceMonitor does not scrape the metrics port");
        }
        for (JsonNode pdb : m.all("PodDisruptionBudget")) {
            expect(Manifests.selects(pdb.path("spec").path("selector").path("matchLabels"), labels), "the PodDisruptionBudget selects no gateway pod");
        }
    }

    private static boolean targets(JsonNode servicePort, Map<String, Integer> ports, int containerPort) {
        JsonNode t = servicePort.path("targetPort");
        return Integer.valueOf(containerPort).equals(t.isInt() ? Integer.valueOf(t.asInt()) : ports.get(t.asText()));
    }

    /** rate_limit_store redis://NAME.NAMESPACE.svc:PORT must be a Service here whose selector matches a workload. */
    private void redis(GatewayConfig config) {
        String url = config.rateLimitStore().url();
        if (url == null || !config.rateLimitStore().type().name().equals("REDIS")) {
            return;
        }
        URI uri = URI.create(url);
        String[] host = uri.getHost().split("\\.");
        JsonNode svc = m.find("Service", host[0]).orElse(null);
        boolean ok = svc != null && host.length > 1 && host[1].equals(svc.path("metadata").path("namespace").asText())
                && svc.path("spec").path("ports").toString().contains("\"port\":" + (uri.getPort() < 0 ? 6379 : uri.getPort()));
        boolean backed = svc != null && m.all("StatefulSet").stream().anyMatch(s -> Manifests.selects(svc.path("spec").path("selector"),
                s.path("spec").path("template").path("metadata").path("labels")));
        expect(ok && backed, "rate_limit_store.url " + url + " is not a Redis Service in these manifests");
    }

    private static JsonNode mountAt(JsonNode container, String path) {
        for (JsonNode mount : container.path("volumeMounts")) {
            if (path.equals(mount.path("mountPath").asText())) {
                return mount;
            }
        }
        return null;
    }

    private static JsonNode volume(JsonNode pod, String name) {
        for (JsonNode v : pod.path("spec").path("volumes")) {
            if (name.equals(v.path("name").asText())) {
                return v;
            }
        }
        return null;
    }

    private void expect(boolean ok, String problem) {
        if (!ok) {
            problem(problem);
        }
    }

    private void problem(String p) {
        problems.add(m.source() + ": " + p);
    }
}
