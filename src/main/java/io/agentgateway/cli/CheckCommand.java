package io.agentgateway.cli;

import io.agentgateway.config.ConfigError;
import io.agentgateway.config.ConfigException;
import io.agentgateway.config.ConfigLoader;
import io.agentgateway.config.GatewayConfig;
import io.agentgateway.identity.Principal;
import io.agentgateway.policy.Decision;
import io.agentgateway.policy.PolicyCheck;
import io.agentgateway.policy.RequestFacts;
import io.agentgateway.policy.Resource;
import io.agentgateway.runtime.RuntimePlan;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code agentgateway check --config FILE --namespace NS [--service-account SA] --resource R}:
 * explains what the gateway would decide for one caller and one resource, with the policy (and,
 * for {@code agent:NS/NAME}, the A2A rule) that decides it, without a running gateway. Uses the
 * same compiled engine as {@code run}. The whole config is planned ({@link RuntimePlan}), so an
 * invalid one is reported as {@code validate} would; planning reads no secret and starts nothing,
 * so no secret or upstream is needed.
 *
 * <p>Exit codes: 0 allowed, 3 denied, 1 the config is invalid (every error with its key path),
 * 2 usage error.
 */
@Command(name = "check", mixinStandardHelpOptions = true, description = {
        "Explain an authorization decision: may this namespace (and service account) use this resource, and which policy says so.",
        "Exit code: 0 allow, 3 deny, 1 invalid config, 2 usage error."})
final class CheckCommand implements Callable<Integer> {
    static final int DENIED = 3;

    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "the config file")
    Path file;

    @Option(names = {"-n", "--namespace"}, required = true, paramLabel = "NS", description = "the caller's namespace")
    String namespace;

    @Option(names = "--service-account", paramLabel = "SA", description = "the caller's service account (default: none)")
    String serviceAccount;

    @Option(names = {"-r", "--resource"}, required = true, paramLabel = "RESOURCE",
            description = "model:NAME, mcp:SERVER/TOOL or agent:NAMESPACE/NAME")
    String resource;

    @Option(names = {"-H", "--header"}, paramLabel = "NAME=VALUE",
            description = "a request header for when: conditions (repeatable)")
    Map<String, String> headers = new LinkedHashMap<>();

    @Option(names = "--auth-method", paramLabel = "METHOD", defaultValue = "kubernetes",
            description = "principal.method for when: conditions (default: ${DEFAULT-VALUE})")
    String authMethod;

    @Option(names = "--request-method", paramLabel = "METHOD", defaultValue = "POST",
            description = "request.method for when: conditions (default: ${DEFAULT-VALUE})")
    String requestMethod;

    @Option(names = "--request-path", paramLabel = "PATH",
            description = "request.path for when: conditions (default: the path a call of that resource uses)")
    String requestPath;

    @Override
    public Integer call() {
        Resource target = parseArguments();
        PrintWriter out = spec.commandLine().getOut();
        PolicyCheck check;
        try {
            check = plan(ConfigLoader.fromEnvironment().load(file)).policyCheck();
        } catch (ConfigException e) {
            return report(e);
        }
        PolicyCheck.Explanation e = check.explain(principal(), target, facts(target));
        out.println("resource: " + target.id());
        out.println("principal: namespace " + namespace
                + (serviceAccount == null ? ", no service account" : ", service account " + serviceAccount));
        out.println("authorization: " + describe(e.policy(), "policy"));
        if (e.rule() != null) {
            out.println("a2a: " + describe(e.rule(), "rule"));
        }
        out.println("decision: " + (e.allowed() ? "allow" : "deny"));
        out.flush();
        return e.allowed() ? 0 : DENIED;
    }

    /**
     * The whole config must plan as {@code run} would (every error reported); planning starts
     * nothing. The plan's policies are the ones a running gateway decides with.
     */
    private RuntimePlan plan(GatewayConfig config) throws ConfigException {
        Vertx vertx = Vertx.vertx();
        try {
            return RuntimePlan.plan(config, file.toAbsolutePath().getParent(), RuntimePlan.Context.standalone(vertx, System::getenv));
        } finally {
            vertx.close().await();
        }
    }

    private Resource parseArguments() {
        if (namespace.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--namespace must not be empty");
        }
        if (serviceAccount != null && serviceAccount.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--service-account must not be empty");
        }
        for (String name : headers.keySet()) {
            if (name.isBlank()) {
                throw new ParameterException(spec.commandLine(), "--header needs NAME=VALUE with a name");
            }
        }
        try {
            return Resource.parse(resource);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--resource " + e.getMessage());
        }
    }

    private Principal principal() {
        return serviceAccount != null
                ? Principal.serviceAccount(namespace, serviceAccount, authMethod, Map.of())
                : new Principal(namespace, null, "", authMethod, Map.of());
    }

    private RequestFacts facts(Resource target) {
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        headers.forEach(h::add);
        return PolicyCheck.facts(target, requestMethod, requestPath, h);
    }

    private static String describe(Decision d, String kind) {
        String line = d.verdict() + " (" + kind + " " + d.policy() + ")";
        return d.reason() == null || d.allowed() ? line : line + ": " + d.reason();
    }

    private int report(ConfigException e) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(file + ": " + e.errors().size() + " error(s)");
        for (ConfigError error : e.errors()) {
            err.println("  " + error);
        }
        err.flush();
        return 1;
    }
}
