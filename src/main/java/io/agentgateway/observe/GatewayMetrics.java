package io.agentgateway.observe;

import io.agentgateway.core.BoundedLabel;

import io.agentgateway.core.Usage;
import io.agentgateway.policy.Decision;
import io.agentgateway.policy.Resource;
import io.agentgateway.server.Exchange;
import io.agentgateway.server.Facts;
import io.agentgateway.server.ExchangeListener;
import io.agentgateway.server.Protocol;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The Prometheus metrics every exchange feeds (listed in docs/operations.md), emitted once on completion.
 * Meters are built the first time their label values occur and kept in a tree of maps keyed by
 * those values (listener and protocol, then namespace, then status; provider, model and operation,
 * then namespace), so an exchange costs a few string-keyed lookups and allocates nothing: no key
 * objects, no capturing lambdas, no tags. Label values are bounded by {@link BoundedLabel}. Thread-safe.
 */
public final class GatewayMetrics implements ExchangeListener {
    private static final double[] TOKEN_BUCKETS = {1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576,
            4194304, 16777216, 67108864};

    private final MeterRegistry registry;
    private final BoundedLabel namespaces;
    private final BoundedLabel models;
    /** By listener, then by protocol ordinal. */
    private final ConcurrentHashMap<String, Scope[]> scopes = new ConcurrentHashMap<>();
    /** By protocol ordinal, then decision, then policy. */
    private final DecisionMeters[] decisions = new DecisionMeters[Protocol.values().length];
    /** By provider, then model, then operation. */
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, ConcurrentHashMap<String, Operation>>> operations =
            new ConcurrentHashMap<>();

    public GatewayMetrics(MeterRegistry registry, BoundedLabel namespaces, BoundedLabel models) {
        this.registry = registry;
        this.namespaces = namespaces;
        this.models = models;
        for (Protocol p : Protocol.values()) {
            decisions[p.ordinal()] = new DecisionMeters(p.wire());
        }
    }

    @Override
    public void onComplete(Exchange ex) {
        Protocol protocol = ex.protocol();
        String ns = namespaces.value(ex.principal() == null ? null : ex.principal().namespace());
        Scope scope = scope(ex.listener(), protocol);
        scope.requests(ns).counter(ex.status()).increment();
        long nanos = ex.endNanos() - ex.startNanos();
        scope.duration.record(nanos, TimeUnit.NANOSECONDS);
        Decision d = ex.decision();
        if (d != null && !(ex.resource() instanceof Resource.None)) {
            decisions[protocol.ordinal()].counter(d.verdict(), d.policy() == null ? "none" : d.policy()).increment();
        }
        if (protocol == Protocol.LLM && ex.provider() != null) {
            llm(ex, ns, nanos);
        }
    }

    private Scope scope(String listener, Protocol protocol) {
        Scope[] byProtocol = scopes.get(listener);
        if (byProtocol == null) {
            byProtocol = scopes.computeIfAbsent(listener, k -> new Scope[Protocol.values().length]);
        }
        Scope scope = byProtocol[protocol.ordinal()];
        if (scope == null) {
            synchronized (byProtocol) {
                scope = byProtocol[protocol.ordinal()];
                if (scope == null) {
                    scope = new Scope(listener, protocol.wire());
                    byProtocol[protocol.ordinal()] = scope;
                }
            }
        }
        return scope;
    }

    private void llm(Exchange ex, String ns, long nanos) {
        String model = models.value(ex.requestModel());
        // Responses and Anthropic Messages are chat in the GenAI conventions' terms.
        String operation = switch (ex.action() == null ? "" : ex.action()) {
            case "chat.completions", "responses", "messages" -> "chat";
            default -> ex.action();
        };
        Operation op = operation(ex.provider(), model, operation);
        op.duration.record(nanos, TimeUnit.NANOSECONDS);
        if (ex.firstByteNanos() > 0 && Boolean.TRUE.equals(ex.fact(Facts.Llm.STREAM))) {
            op.timeToFirstToken().record(ex.firstByteNanos() - ex.startNanos(), TimeUnit.NANOSECONDS);
        }
        Usage u = ex.usage();
        if (u == null || u.totalTokens() == 0) {
            return;
        }
        Tokens tokens = op.tokens(ns);
        tokens.input.increment(u.inputTokens());
        tokens.inputUsage.record(u.inputTokens());
        tokens.output.increment(u.outputTokens());
        tokens.outputUsage.record(u.outputTokens());
        Double usd = ex.fact(Facts.Llm.COST_USD);
        if (usd != null && usd > 0) {
            tokens.cost().increment(usd);
        }
    }

    private Operation operation(String provider, String model, String operation) {
        var byModel = operations.get(provider);
        if (byModel == null) {
            byModel = operations.computeIfAbsent(provider, k -> new ConcurrentHashMap<>());
        }
        var byOperation = byModel.get(model);
        if (byOperation == null) {
            byOperation = byModel.computeIfAbsent(model, k -> new ConcurrentHashMap<>());
        }
        Operation op = byOperation.get(operation);
        if (op == null) {
            op = byOperation.computeIfAbsent(operation, k -> new Operation(provider, model, k));
        }
        return op;
    }

    /** One listener serving one protocol: its duration timer and its request counters by namespace. */
    private final class Scope {
        final String listener;
        final String protocol;
        final Timer duration;
        final ConcurrentHashMap<String, Requests> byNamespace = new ConcurrentHashMap<>();

        Scope(String listener, String protocol) {
            this.listener = listener;
            this.protocol = protocol;
            this.duration = Timer.builder("agentgateway.request.duration")
                    .description("Time from accept to the last byte of the answer")
                    .tags("listener", listener, "protocol", protocol)
                    .publishPercentileHistogram().register(registry);
        }

        Requests requests(String ns) {
            Requests r = byNamespace.get(ns);
            return r != null ? r : byNamespace.computeIfAbsent(ns, k -> new Requests(this, k));
        }
    }

    /**
     * The request counters of one listener, protocol and namespace by status: the few statuses
     * seen, in arrays replaced whole when one is added, so reading them takes no lock.
     */
    private final class Requests {
        private final Scope scope;
        private final String namespace;
        private volatile int[] statuses = new int[0];
        private volatile Counter[] counters = new Counter[0];

        Requests(Scope scope, String namespace) {
            this.scope = scope;
            this.namespace = namespace;
        }

        Counter counter(int status) {
            Counter[] c = counters;
            int[] s = statuses;
            for (int i = 0; i < c.length && i < s.length; i++) {
                if (s[i] == status) {
                    return c[i];
                }
            }
            return add(status);
        }

        private synchronized Counter add(int status) {
            for (int i = 0; i < counters.length; i++) {
                if (statuses[i] == status) {
                    return counters[i];
                }
            }
            Counter counter = Counter.builder("agentgateway.requests").description("Requests by listener, protocol, namespace and status")
                    .tags("listener", scope.listener, "protocol", scope.protocol, "namespace", namespace, "status", Integer.toString(status))
                    .register(registry);
            Counter[] c = java.util.Arrays.copyOf(counters, counters.length + 1);
            int[] s = java.util.Arrays.copyOf(statuses, statuses.length + 1);
            c[c.length - 1] = counter;
            s[s.length - 1] = status;
            // counters first: a reader takes counters before statuses, so it never sees a status without its counter
            counters = c;
            statuses = s;
            return counter;
        }
    }

    /** The authorization decision counters of one protocol, by decision and policy. */
    private final class DecisionMeters {
        final String protocol;
        final ConcurrentHashMap<String, ConcurrentHashMap<String, Counter>> byDecision = new ConcurrentHashMap<>();

        DecisionMeters(String protocol) {
            this.protocol = protocol;
        }

        Counter counter(String decision, String policy) {
            var byPolicy = byDecision.get(decision);
            if (byPolicy == null) {
                byPolicy = byDecision.computeIfAbsent(decision, k -> new ConcurrentHashMap<>());
            }
            Counter c = byPolicy.get(policy);
            return c != null ? c : byPolicy.computeIfAbsent(policy, k -> Counter
                    .builder("agentgateway.authz.decisions").description("Authorization decisions by deciding policy")
                    .tags("protocol", protocol, "decision", decision, "policy", k)
                    .register(registry));
        }
    }

    /** One GenAI operation on one provider and model: its timers and its token meters by namespace. */
    private final class Operation {
        final String provider;
        final String model;
        final String operation;
        final Timer duration;
        private volatile Timer timeToFirstToken;
        final ConcurrentHashMap<String, Tokens> byNamespace = new ConcurrentHashMap<>();

        Operation(String provider, String model, String operation) {
            this.provider = provider;
            this.model = model;
            this.operation = operation;
            this.duration = Timer.builder("gen_ai.client.operation.duration")
                    .description("GenAI operation duration")
                    .tags("gen_ai_provider_name", provider, "gen_ai_request_model", model, "gen_ai_operation_name", operation)
                    .publishPercentileHistogram().register(registry);
        }

        /** Built on the first streamed answer: an operation never streamed has no such series. */
        Timer timeToFirstToken() {
            Timer t = timeToFirstToken;
            if (t == null) {
                t = Timer.builder("gen_ai.server.time_to_first_token")
                        .description("Time to the first streamed chunk")
                        .tags("gen_ai_provider_name", provider, "gen_ai_request_model", model, "gen_ai_operation_name", operation)
                        .publishPercentileHistogram().register(registry);
                timeToFirstToken = t;
            }
            return t;
        }

        Tokens tokens(String ns) {
            Tokens t = byNamespace.get(ns);
            return t != null ? t : byNamespace.computeIfAbsent(ns, k -> new Tokens(this, k));
        }
    }

    /** The token and cost meters of one operation and namespace. */
    private final class Tokens {
        final Counter input;
        final Counter output;
        final DistributionSummary inputUsage;
        final DistributionSummary outputUsage;
        private final String namespace;
        private final String model;
        private volatile Counter cost;

        Tokens(Operation op, String ns) {
            namespace = ns;
            model = op.model;
            input = tokens(ns, op.model, "input");
            output = tokens(ns, op.model, "output");
            inputUsage = usage(op, ns, "input");
            outputUsage = usage(op, ns, "output");
        }

        /** Built on the first priced answer: without a price table there is no cost series. */
        Counter cost() {
            Counter c = cost;
            if (c == null) {
                c = Counter.builder("agentgateway.cost.usd")
                        .description("US dollars spent by namespace and model, at the gateway's price table (cost allocation)")
                        .tags("namespace", namespace, "model", model)
                        .register(registry);
                cost = c;
            }
            return c;
        }

        private Counter tokens(String ns, String model, String type) {
            return Counter.builder("agentgateway.tokens").description("Tokens by namespace, model and type (cost allocation)")
                    .tags("namespace", ns, "model", model, "type", type)
                    .register(registry);
        }

        private DistributionSummary usage(Operation op, String ns, String type) {
            return DistributionSummary.builder("gen_ai.client.token.usage").description("Tokens used per GenAI operation")
                    .tags("gen_ai_operation_name", op.operation, "gen_ai_provider_name", op.provider,
                            "gen_ai_request_model", op.model, "gen_ai_token_type", type, "namespace", ns)
                    .serviceLevelObjectives(TOKEN_BUCKETS).register(registry);
        }
    }
}
