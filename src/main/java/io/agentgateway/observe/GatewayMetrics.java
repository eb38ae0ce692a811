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

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The Prometheus metrics every exchange feeds (listed in docs/operations.md), emitted once on completion.
 * Meters are cached by their label values so the hot path does one map lookup per meter; label
 * values are bounded by {@link BoundedLabel}. Thread-safe.
 */
public final class GatewayMetrics implements ExchangeListener {
    private static final double[] TOKEN_BUCKETS = {1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576,
            4194304, 16777216, 67108864};

    private final MeterRegistry registry;
    private final BoundedLabel namespaces;
    private final BoundedLabel models;
    private final Map<Object, Object> meters = new ConcurrentHashMap<>();

    public GatewayMetrics(MeterRegistry registry, BoundedLabel namespaces, BoundedLabel models) {
        this.registry = registry;
        this.namespaces = namespaces;
        this.models = models;
    }

    private record RequestKey(String listener, String protocol, String namespace, String status) {
    }

    private record DurationKey(String listener, String protocol) {
    }

    private record DecisionKey(String protocol, String decision, String policy) {
    }

    private record TokenKey(String namespace, String model, String type, String provider, String operation) {
    }

    private record OperationKey(String provider, String model, String operation, String kind) {
    }

    @Override
    public void onComplete(Exchange ex) {
        String protocol = ex.protocol().wire();
        String ns = namespaces.value(ex.principal() == null ? null : ex.principal().namespace());
        counter(new RequestKey(ex.listener(), protocol, ns, Integer.toString(ex.status())), k -> Counter
                .builder("agentgateway.requests").description("Requests by listener, protocol, namespace and status")
                .tags("listener", k.listener(), "protocol", k.protocol(), "namespace", k.namespace(), "status", k.status())
                .register(registry)).increment();
        long nanos = ex.endNanos() - ex.startNanos();
        timer(new DurationKey(ex.listener(), protocol), k -> Timer.builder("agentgateway.request.duration")
                .description("Time from accept to the last byte of the answer")
                .tags("listener", k.listener(), "protocol", k.protocol())
                .publishPercentileHistogram().register(registry)).record(nanos, TimeUnit.NANOSECONDS);
        Decision d = ex.decision();
        if (d != null && !(ex.resource() instanceof Resource.None)) {
            counter(new DecisionKey(protocol, d.verdict(), d.policy() == null ? "none" : d.policy()), k -> Counter
                    .builder("agentgateway.authz.decisions").description("Authorization decisions by deciding policy")
                    .tags("protocol", k.protocol(), "decision", k.decision(), "policy", k.policy())
                    .register(registry)).increment();
        }
        if (ex.protocol() == Protocol.LLM && ex.provider() != null) {
            llm(ex, ns, nanos);
        }
    }

    private void llm(Exchange ex, String ns, long nanos) {
        String model = models.value(ex.requestModel());
        // Responses and Anthropic Messages are chat in the GenAI conventions' terms.
        String operation = switch (ex.action() == null ? "" : ex.action()) {
            case "chat.completions", "responses", "messages" -> "chat";
            default -> ex.action();
        };
        String provider = ex.provider();
        timer(new OperationKey(provider, model, operation, "op"), k -> Timer.builder("gen_ai.client.operation.duration")
                .description("GenAI operation duration")
                .tags("gen_ai_provider_name", k.provider(), "gen_ai_request_model", k.model(), "gen_ai_operation_name", k.operation())
                .publishPercentileHistogram().register(registry)).record(nanos, TimeUnit.NANOSECONDS);
        if (ex.firstByteNanos() > 0 && Boolean.TRUE.equals(ex.fact(Facts.Llm.STREAM))) {
            timer(new OperationKey(provider, model, operation, "ttft"), k -> Timer.builder("gen_ai.server.time_to_first_token")
                    .description("Time to the first streamed chunk")
                    .tags("gen_ai_provider_name", k.provider(), "gen_ai_request_model", k.model(), "gen_ai_operation_name", k.operation())
                    .publishPercentileHistogram().register(registry))
                    .record(Duration.ofNanos(ex.firstByteNanos() - ex.startNanos()));
        }
        Usage u = ex.usage();
        if (u == null || u.totalTokens() == 0) {
            return;
        }
        tokens(ns, model, "input", provider, operation, u.inputTokens());
        tokens(ns, model, "output", provider, operation, u.outputTokens());
    }

    private void tokens(String ns, String model, String type, String provider, String operation, long n) {
        TokenKey key = new TokenKey(ns, model, type, provider, operation);
        counter(key, k -> Counter.builder("agentgateway.tokens").description("Tokens by namespace, model and type (cost allocation)")
                .tags("namespace", k.namespace(), "model", k.model(), "type", k.type())
                .register(registry)).increment(n);
        ((DistributionSummary) meters.computeIfAbsent(new UsageKey(key), k -> DistributionSummary
                .builder("gen_ai.client.token.usage").description("Tokens used per GenAI operation")
                .tags("gen_ai_operation_name", key.operation(), "gen_ai_provider_name", key.provider(),
                        "gen_ai_request_model", key.model(), "gen_ai_token_type", key.type(), "namespace", key.namespace())
                .serviceLevelObjectives(TOKEN_BUCKETS).register(registry))).record(n);
    }

    private record UsageKey(TokenKey key) {
    }

    @SuppressWarnings("unchecked")
    private <K> Counter counter(K key, Function<K, Counter> make) {
        return (Counter) meters.computeIfAbsent(key, k -> make.apply((K) k));
    }

    @SuppressWarnings("unchecked")
    private <K> Timer timer(K key, Function<K, Timer> make) {
        return (Timer) meters.computeIfAbsent(key, k -> make.apply((K) k));
    }
}
