package io.agentgateway.policy;

import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.runtime.CelVariableResolver;
import io.agentgateway.identity.Principal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The variables a {@code when:} condition sees for one decision, resolved lazily: a condition that
 * only reads {@code principal.namespace} never builds the header or claims map, and a decision
 * with no condition never creates this at all. Absent strings (an API key with no service
 * account, a resource without a namespace) are {@code ""} so comparisons need no null checks.
 *
 * <p>One per decision, confined to the thread making it; not thread-safe.
 */
final class ConditionInput implements CelVariableResolver {
    /** Every variable a condition may use, with its type; the compiler declares exactly these. */
    static final Map<String, CelType> VARIABLES;

    static {
        Map<String, CelType> v = new LinkedHashMap<>();
        v.put("request.method", SimpleType.STRING);
        v.put("request.path", SimpleType.STRING);
        v.put("request.headers", MapType.create(SimpleType.STRING, SimpleType.STRING));
        v.put("principal.namespace", SimpleType.STRING);
        v.put("principal.service_account", SimpleType.STRING);
        v.put("principal.subject", SimpleType.STRING);
        v.put("principal.method", SimpleType.STRING);
        v.put("principal.claims", MapType.create(SimpleType.STRING, SimpleType.DYN));
        v.put("resource.id", SimpleType.STRING);
        v.put("resource.kind", SimpleType.STRING);
        v.put("resource.name", SimpleType.STRING);
        v.put("resource.namespace", SimpleType.STRING);
        v.put("resource.server", SimpleType.STRING);
        VARIABLES = Collections.unmodifiableMap(v);
    }

    private final Principal principal;
    private final Resource resource;
    private final RequestFacts facts;
    private Map<String, String> headers;
    private Map<String, Object> claims;

    ConditionInput(Principal principal, Resource resource, RequestFacts facts) {
        this.principal = principal == null ? Principal.ANONYMOUS : principal;
        this.resource = resource;
        this.facts = facts == null ? RequestFacts.EMPTY : facts;
    }

    @Override
    public Optional<Object> find(String name) {
        return Optional.ofNullable(value(name));
    }

    private Object value(String name) {
        return switch (name) {
            case "request.method" -> text(facts.method());
            case "request.path" -> text(facts.path());
            case "request.headers" -> headers == null ? headers = new HeaderView(facts.headers()) : headers;
            case "principal.namespace" -> text(principal.namespace());
            case "principal.service_account" -> text(principal.serviceAccount());
            case "principal.subject" -> text(principal.subject());
            case "principal.method" -> text(principal.method());
            case "principal.claims" -> claims == null ? claims = celMap(principal.claims()) : claims;
            case "resource.id" -> resource.id();
            case "resource.kind" -> kind(resource);
            case "resource.name" -> switch (resource) {
                case Resource.Model m -> m.name();
                case Resource.McpTool t -> t.tool();
                case Resource.Agent a -> a.name();
                case Resource.None n -> "";
            };
            case "resource.namespace" -> resource instanceof Resource.Agent a ? a.namespace() : "";
            case "resource.server" -> resource instanceof Resource.McpTool t ? t.server() : "";
            default -> null;
        };
    }

    static String kind(Resource resource) {
        return switch (resource) {
            case Resource.Model m -> "model";
            case Resource.McpTool t -> "mcp";
            case Resource.Agent a -> "agent";
            case Resource.None n -> "";
        };
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }

    private static Map<String, Object> celMap(Map<?, ?> in) {
        Map<String, Object> out = new LinkedHashMap<>(Math.max(4, in.size() * 2));
        in.forEach((k, v) -> out.put(String.valueOf(k), celValue(v)));
        return out;
    }

    /**
     * Claims come from JSON (or a JWT library's view of it): map them onto CEL's value types.
     * Times become epoch seconds, as they are on the wire ({@code exp}, {@code iat}).
     */
    private static Object celValue(Object v) {
        return switch (v) {
            case null -> NullValue.NULL_VALUE;
            case String s -> s;
            case Boolean b -> b;
            case Long l -> l;
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case Byte b -> b.longValue();
            case Double d -> d;
            case Float f -> f.doubleValue();
            case BigInteger b -> b.bitLength() < 64 ? (Object) b.longValue() : (Object) b.doubleValue();
            case BigDecimal b -> b.doubleValue();
            case Date d -> d.getTime() / 1000;
            case Instant i -> i.getEpochSecond();
            case Map<?, ?> m -> celMap(m);
            case Collection<?> c -> {
                List<Object> out = new ArrayList<>(c.size());
                c.forEach(e -> out.add(celValue(e)));
                yield out;
            }
            default -> v.toString();
        };
    }
}
