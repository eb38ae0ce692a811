package io.agentgateway.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.config.GatewayConfig;
import io.agentgateway.identity.Principal;
import io.agentgateway.policy.A2aRules;
import io.agentgateway.policy.AuthorizationPolicies;
import io.agentgateway.policy.RequestFacts;
import io.agentgateway.policy.Resource;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed deployment (deploy/kubernetes, the Helm chart's default render, examples/kagent)
 * stays consistent with the gateway: its config loads with the real ConfigLoader, ports, probes,
 * mounts and grace period match that config, the seed's objects are there as written, and the
 * Kagent example is allowed by the shipped policies. No helm or cluster needed:
 * deploy/helm/render-defaults.sh refreshes the render that is checked here.
 */
class DeployManifestsTest {
    private static final Path KUSTOMIZE = Path.of("deploy/kubernetes");
    private static final Path CHART = Path.of("deploy/helm/agentgateway");
    private static final Path RENDERED = CHART.resolve("ci/rendered-manifests.yaml");
    private static final Path KAGENT = Path.of("examples/kagent");

    private static Manifests kustomize() {
        return Manifests.kustomization(KUSTOMIZE);
    }

    private static Manifests helm() {
        return Manifests.read(RENDERED);
    }

    @Test
    void kustomizeManifestsRunTheGatewayAsItsConfigSays() {
        assertThat(ManifestConsistency.problems(kustomize())).isEmpty();
    }

    @Test
    void helmDefaultRenderRunsTheGatewayAsItsConfigSays() {
        assertThat(ManifestConsistency.problems(helm())).isEmpty();
    }

    @Test
    void everyKustomizeFileIsListedInTheKustomization() throws Exception {
        List<String> listed = new ArrayList<>();
        Manifests.readAll(KUSTOMIZE.resolve("kustomization.yaml")).getFirst().path("resources").forEach(r -> listed.add(r.asText()));
        try (var files = Files.list(KUSTOMIZE)) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml")))
                    .containsExactlyInAnyOrderElementsOf(listed);
        }
    }

    @Test
    void theSeedsObjectsAreThereAsWritten() {
        Manifests m = kustomize();
        JsonNode deployment = m.get("Deployment", "agentgateway");
        assertThat(deployment.path("metadata").path("namespace").asText()).isEqualTo("ai-platform");
        assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(3);
        assertThat(deployment.path("spec").path("selector").path("matchLabels")).isEqualTo(Manifests.YAML.createObjectNode().put("app", "agentgateway"));
        JsonNode pod = deployment.path("spec").path("template");
        assertThat(pod.path("metadata").path("labels").path("app").asText()).isEqualTo("agentgateway");
        JsonNode container = pod.path("spec").path("containers").path(0);
        assertThat(container.path("image").asText()).isEqualTo("ghcr.io/agentgateway/agentgateway:latest");
        assertThat(container.path("ports").findValuesAsText("containerPort")).containsExactly("8080", "8081", "8082", "15000");
        assertThat(container.path("ports").path(3).path("name").asText()).isEqualTo("metrics");
        assertThat(pod.path("spec").path("volumes").toString()).contains("{\"name\":\"config\",\"configMap\":{\"name\":\"agentgateway-config\"}}");

        JsonNode service = m.get("Service", "agentgateway");
        assertThat(service.path("spec").path("ports").findValuesAsText("name")).containsExactly("llm", "mcp", "a2a", "metrics");
        assertThat(service.path("spec").path("ports").findValuesAsText("port")).containsExactly("8080", "8081", "8082", "15000");

        JsonNode monitor = m.get("ServiceMonitor", "agentgateway");
        assertThat(monitor.path("spec").path("selector").path("matchLabels").path("app").asText()).isEqualTo("agentgateway");
        assertThat(monitor.path("spec").path("endpoints").path(0).path("port").asText()).isEqualTo("metrics");
        assertThat(monitor.path("spec").path("endpoints").path(0).path("interval").asText()).isEqualTo("30s");
        assertThat(m.get("ConfigMap", "agentgateway-config").path("metadata").path("namespace").asText()).isEqualTo("ai-platform");
    }

    /** Every key and value of examples/seed.yaml (the seed's fragments) is in both shipped configs. */
    @Test
    void bothConfigsContainTheSeedsGatewayConfig() throws Exception {
        JsonNode seed = Manifests.YAML.readTree(Files.readString(Path.of("examples/seed.yaml")));
        for (Manifests m : List.of(kustomize(), helm())) {
            JsonNode config = Manifests.YAML.readTree(ManifestConsistency.configText(m));
            List<String> missing = new ArrayList<>();
            contains(seed, config, "", missing);
            assertThat(missing).as(m.source()).isEmpty();
        }
    }

    @Test
    void helmAndKustomizeShipTheSameConfig() throws Exception {
        JsonNode kustomized = Manifests.YAML.readTree(ManifestConsistency.configText(kustomize()));
        JsonNode rendered = Manifests.YAML.readTree(ManifestConsistency.configText(helm()));
        ((ObjectNode) rendered.path("rate_limit_store")).put("url", kustomized.path("rate_limit_store").path("url").asText());
        assertThat(rendered).isEqualTo(kustomized);
    }

    /** The committed render is not stale: values.yaml's config is what it rendered (plus the Redis URL the chart fills in). */
    @Test
    void helmRenderMatchesTheChartsValues() throws Exception {
        JsonNode values = Manifests.readAll(CHART.resolve("values.yaml")).getFirst();
        JsonNode rendered = Manifests.YAML.readTree(ManifestConsistency.configText(helm()));
        ObjectNode expected = values.path("config").deepCopy();
        assertThat(expected.path("rate_limit_store").path("url").asText()).isEmpty();
        ((ObjectNode) expected.path("rate_limit_store")).put("url", "redis://agentgateway-redis.ai-platform.svc:6379");
        assertThat(rendered).isEqualTo(expected);
        assertThat(helm().get("Role", "agentgateway-secrets").path("rules").path(0).path("resourceNames"))
                .isEqualTo(values.path("secretMounts"));
    }

    @Test
    void theKagentAgentReachesTheGatewayAndIsAllowedByTheShippedConfig() throws Exception {
        Manifests kagent = Manifests.read(KAGENT.resolve("serviceaccount-token.yaml"), KAGENT.resolve("modelconfig.yaml"), KAGENT.resolve("agent.yaml"));
        JsonNode agent = kagent.get("Agent", "code-assistant");
        String ns = agent.path("metadata").path("namespace").asText();
        JsonNode model = kagent.get("ModelConfig", agent.path("spec").path("declarative").path("modelConfig").asText());
        assertThat(model.path("metadata").path("namespace").asText()).as("ModelConfig in the Agent's namespace").isEqualTo(ns);
        assertThat(model.path("spec").path("provider").asText()).isEqualTo("OpenAI");

        JsonNode token = kagent.get("Secret", model.path("spec").path("apiKeySecret").asText());
        String serviceAccount = agent.path("spec").path("declarative").path("deployment").path("serviceAccountName").asText();
        assertThat(token.path("type").asText()).isEqualTo("kubernetes.io/service-account-token");
        assertThat(token.path("metadata").path("namespace").asText()).isEqualTo(ns);
        assertThat(token.path("metadata").path("annotations").path("kubernetes.io/service-account.name").asText()).isEqualTo(serviceAccount);
        assertThat(kagent.get("ServiceAccount", serviceAccount).path("metadata").path("namespace").asText()).isEqualTo(ns);
        assertThat(model.path("spec").path("apiKeySecretKey").asText()).isEqualTo("token");

        Manifests deploy = kustomize();
        GatewayConfig config = ManifestConsistency.load(ManifestConsistency.configText(deploy));
        URI base = URI.create(model.path("spec").path("openAI").path("baseUrl").asText());
        String[] host = base.getHost().split("\\.");
        JsonNode service = deploy.get("Service", host[0]);
        assertThat(service.path("metadata").path("namespace").asText()).isEqualTo(host[1]);
        assertThat(base.getPath()).isEqualTo("/v1");
        assertThat(config.listeners()).anySatisfy(l -> {
            assertThat(l.port()).isEqualTo(base.getPort());
            assertThat(l.protocol().name()).isEqualTo("HTTP");
        });

        Principal principal = Principal.serviceAccount(ns, serviceAccount, "kubernetes", Map.of());
        assertThat(config.security().authentication().allowedNamespaces()).contains(ns);
        var policies = AuthorizationPolicies.compile(config.authorization());
        assertThat(policies.decide(principal, new Resource.Model(model.path("spec").path("model").asText()), RequestFacts.EMPTY).verdict())
                .isEqualTo("allow");
        for (JsonNode tool : agent.path("spec").path("declarative").path("tools")) {
            String server = tool.path("mcpServer").path("name").asText();
            assertThat(config.mcp().servers()).as("mcp.servers").anySatisfy(s -> assertThat(s.name()).isEqualTo(server));
            tool.path("mcpServer").path("toolNames").forEach(t -> assertThat(
                    policies.decide(principal, new Resource.McpTool(server, t.asText()), RequestFacts.EMPTY).verdict())
                    .as(server + "/" + t.asText()).isEqualTo("allow"));
        }
        assertThat(new A2aRules(config.a2a().authorization()).decide(principal, new Resource.Agent(ns, "code-assistant")).verdict()).isEqualTo("allow");
        assertThat(config.rateLimiting()).anySatisfy(r -> assertThat(r.match().kubernetes().namespace()).isEqualTo(ns));
    }

    /** Each example RemoteMCPServer is the gateway's MCP listener at /mcp/SERVER for a configured server, in the Agent's namespace. */
    @Test
    void theKagentRemoteMcpServersPointAtTheGatewaysMcpListener() throws Exception {
        Manifests kagent = Manifests.read(KAGENT.resolve("remote-mcp-server.yaml"));
        Manifests deploy = kustomize();
        GatewayConfig config = ManifestConsistency.load(ManifestConsistency.configText(deploy));
        assertThat(kagent.all("RemoteMCPServer")).isNotEmpty();
        for (JsonNode server : kagent.all("RemoteMCPServer")) {
            assertThat(server.path("metadata").path("namespace").asText()).isEqualTo("dev-team");
            assertThat(server.path("spec").path("protocol").asText()).isEqualTo("STREAMABLE_HTTP");
            URI url = URI.create(server.path("spec").path("url").asText());
            String[] host = url.getHost().split("\\.");
            assertThat(deploy.get("Service", host[0]).path("metadata").path("namespace").asText()).isEqualTo(host[1]);
            assertThat(config.listeners()).anySatisfy(l -> {
                assertThat(l.port()).isEqualTo(url.getPort());
                assertThat(l.protocol().name()).isEqualTo("MCP");
            });
            assertThat(url.getPath()).isEqualTo("/mcp/" + server.path("metadata").path("name").asText());
            assertThat(config.mcp().servers()).anySatisfy(s -> assertThat(s.name()).isEqualTo(server.path("metadata").path("name").asText()));
        }
    }

    /** The checks above can fail: each kind of drift in a copy of the manifests is reported. */
    @Test
    void driftIsReported() {
        assertDrift(d -> containerPorts(d).forEach(p -> {
            if (p.path("name").asText().equals("mcp")) {
                ((ObjectNode) p).put("containerPort", 9091);
            }
        }), "container port mcp is 9091");
        assertDrift(d -> ((ObjectNode) container(d).path("readinessProbe").path("httpGet")).put("path", "/healthz"), "readinessProbe is GET /healthz");
        assertDrift(d -> ((ObjectNode) container(d).path("livenessProbe").path("httpGet")).put("port", 8080), "livenessProbe is GET /healthz on port 8080");
        assertDrift(d -> ((ObjectNode) d.path("spec").path("template").path("spec")).put("terminationGracePeriodSeconds", 30),
                "terminationGracePeriodSeconds 30 does not exceed");
        assertDrift(d -> ((ObjectNode) container(d).path("volumeMounts").path(0)).put("subPath", "config.yaml"), "mounted as a directory");
        assertDrift(d -> ((ArrayNode) container(d).path("volumeMounts")).remove(1), "secret openai-credentials is not mounted");
        assertDrift(d -> ((ObjectNode) container(d).path("securityContext")).put("readOnlyRootFilesystem", false), "root filesystem is writable");
        assertDrift(d -> ((ArrayNode) container(d).path("env")).remove(0), "POD_NAME is not set");
    }

    private static void assertDrift(Consumer<ObjectNode> change, String expected) {
        Manifests copy = kustomize().copy();
        change.accept(copy.one("Deployment"));
        assertThat(ManifestConsistency.problems(copy)).anySatisfy(p -> assertThat(p).contains(expected));
    }

    private static JsonNode container(ObjectNode deployment) {
        return deployment.path("spec").path("template").path("spec").path("containers").path(0);
    }

    private static JsonNode containerPorts(ObjectNode deployment) {
        return container(deployment).path("ports");
    }

    private static void contains(JsonNode want, JsonNode have, String path, List<String> missing) {
        if (want.isObject()) {
            want.properties().forEach(e -> contains(e.getValue(), have.path(e.getKey()), path + "." + e.getKey(), missing));
        } else if (want.isArray()) {
            for (int i = 0; i < want.size(); i++) {
                contains(want.get(i), have.path(i), path + "[" + i + "]", missing);
            }
        } else if (!want.asText().equals(have.asText(null))) {
            missing.add(path + ": " + want.asText() + " (shipped: " + (have.isMissingNode() ? "absent" : have.asText()) + ")");
        }
    }
}
