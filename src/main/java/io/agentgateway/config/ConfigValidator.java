package io.agentgateway.config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Cross-field checks that the binder cannot make: unique names, references between sections,
 * fields required by a particular {@code type}, value ranges, well-formed URLs and resource
 * patterns, files that must exist. Each error names the key path and the bad value, except that
 * the user-info part of a URL ({@code user:password@}) is masked: it is a credential.
 */
final class ConfigValidator {
    static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern SERVER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    private static final Pattern TRUST_DOMAIN = Pattern.compile("[a-z0-9._-]{1,255}");
    private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-fA-F]{64}");
    private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*:/*)?[^@]*@");
    private static final Pattern ORIGIN = Pattern.compile("(?i)https?://([a-z0-9_.-]+|\\[[0-9a-f:.]+])(:[0-9]{1,5})?");
    private static final Pattern HOST = Pattern.compile("(?i)\\*|(\\*\\.)?[a-z0-9_-]+(\\.[a-z0-9_-]+)*|\\[[0-9a-f:.]+]");
    private static final Duration MAX_WINDOW = Duration.ofDays(31);

    private final Path baseDir;
    private final List<ConfigError> errors = new ArrayList<>();

    ConfigValidator(Path baseDir) {
        this.baseDir = baseDir;
    }

    List<ConfigError> validate(GatewayConfig c) {
        listeners(c);
        providers(c.llm());
        mcp(c.mcp());
        a2a(c.a2a());
        authentication(c);
        policies(c.authorization());
        rateLimits(c.rateLimiting());
        errors.addAll(new StoreValidator(baseDir).validate(c.rateLimitStore()));
        observability(c.observability());
        positive("shutdown.grace_period", c.shutdown().gracePeriod());
        return errors;
    }

    private void listeners(GatewayConfig c) {
        if (c.listeners().isEmpty()) {
            error("listeners", "needs at least one listener");
        }
        Set<String> names = new HashSet<>();
        Map<Integer, String> ports = new HashMap<>();
        port("admin.port", c.admin().port());
        AdminAuthenticationConfig adminAuth = c.admin().authentication();
        if (adminAuth != null) {
            if (adminAuth.tokenSecret() == null && adminAuth.serviceAccounts().isEmpty()) {
                error("admin.authentication", "needs token_secret or service_accounts (or leave it out)");
            }
            for (int i = 0; i < adminAuth.serviceAccounts().size(); i++) {
                PrincipalSelector sa = adminAuth.serviceAccounts().get(i);
                String at = "admin.authentication.service_accounts[" + i + "]";
                selector(at, sa);
                if (sa.namespace() == null && sa.namespaces().isEmpty()) {
                    error(at, "needs namespace (or namespaces): a service account is only known with its namespace");
                }
            }
        }
        if (c.admin().port() != 0) {
            ports.put(c.admin().port(), "admin.port");
        }
        for (int i = 0; i < c.listeners().size(); i++) {
            ListenerConfig l = c.listeners().get(i);
            String at = "listeners[" + i + "]";
            unique(names, l.name(), at + ".name");
            port(at + ".port", l.port());
            if (l.port() != 0) {
                String other = ports.putIfAbsent(l.port(), at + ".port");
                if (other != null) {
                    error(at + ".port", l.port() + " is already used by " + other);
                }
            }
            positive(at + ".idle_timeout", l.idleTimeout());
            if (l.maxBodySize().bytes() == 0) {
                error(at + ".max_body_size", "must be greater than 0");
            }
            if (l.maxHeaderSize().bytes() < 1024) {
                error(at + ".max_header_size", l.maxHeaderSize() + " is too small (at least 1KiB)");
            }
            if (l.maxHeaderCount() < 10) {
                error(at + ".max_header_count", l.maxHeaderCount() + " is too small (at least 10: clients send a handful of their own)");
            }
            for (int j = 0; j < l.trustedProxies().size(); j++) {
                cidr(at + ".trusted_proxies[" + j + "]", l.trustedProxies().get(j));
            }
            if (l.tls() != null) {
                file(at + ".tls.cert_file", l.tls().certFile());
                file(at + ".tls.key_file", l.tls().keyFile());
                if (l.tls().clientCaFile() != null) {
                    file(at + ".tls.client_ca_file", l.tls().clientCaFile());
                }
            }
        }
    }

    private void providers(LlmConfig llm) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < llm.providers().size(); i++) {
            ProviderConfig p = llm.providers().get(i);
            String at = "llm.providers[" + i + "]";
            unique(names, p.name(), at + ".name");
            connectionPool(at + ".connection_pool", p.connectionPool());
            if (p.baseUrl() != null) {
                url(at + ".base_url", p.baseUrl());
            }
            switch (p.type()) {
                case AZURE_OPENAI, OPENAI_COMPATIBLE -> {
                    if (p.baseUrl() == null) {
                        error(at + ".base_url", "is required for type " + ConfigBinder.wire(p.type().name()));
                    }
                }
                case VERTEX_AI -> {
                    if (p.project() == null) {
                        error(at + ".project", "is required for type vertex_ai (the Google Cloud project)");
                    }
                    if (p.region() == null) {
                        error(at + ".region", "is required for type vertex_ai (a location such as us-central1, or global)");
                    }
                    if (p.apiKeySecret() != null) {
                        error(at + ".api_key_secret", "\"" + p.apiKeySecret()
                                + "\" is not used by type vertex_ai: it authenticates with credentials_secret or workload identity");
                    }
                }
                case BEDROCK -> {
                    if (p.region() == null && p.baseUrl() == null) {
                        error(at + ".region", "is required for type bedrock (or set base_url)");
                    }
                    if (p.credentialsSecret() != null && p.apiKeySecret() != null) {
                        error(at + ".credentials_secret", "\"" + p.credentialsSecret()
                                + "\" and api_key_secret both set: a bedrock provider signs with AWS keys or sends a Bedrock API key, not both");
                    }
                }
                default -> {
                }
            }
            if (p.credentialsSecret() != null && p.type() != ProviderConfig.ProviderType.BEDROCK
                    && p.type() != ProviderConfig.ProviderType.VERTEX_AI) {
                error(at + ".credentials_secret", "\"" + p.credentialsSecret() + "\" is not used by type "
                        + ConfigBinder.wire(p.type().name()) + " (only by bedrock and vertex_ai)");
            }
            if (p.api() != null && p.type() != ProviderConfig.ProviderType.GEMINI) {
                error(at + ".api", ConfigBinder.wire(p.api().name()) + " is only for type gemini");
            }
            if (p.project() != null && p.type() != ProviderConfig.ProviderType.VERTEX_AI) {
                error(at + ".project", "\"" + p.project() + "\" is only for type vertex_ai");
            }
            positive(at + ".timeout", p.timeout());
            positive(at + ".connect_timeout", p.connectTimeout());
            for (int j = 0; j < p.models().size(); j++) {
                notBlank(at + ".models[" + j + "]", p.models().get(j));
            }
            if (p.forwardHeaders() != null) {
                forwardHeaders(at + ".forward_headers", p.forwardHeaders());
            }
        }
        for (int i = 0; i < llm.pricing().size(); i++) {
            PriceConfig price = llm.pricing().get(i);
            String at = "llm.pricing[" + i + "]";
            notBlank(at + ".model", price.model());
            nonNegative(at + ".input", price.input());
            nonNegative(at + ".cached_input", price.cachedInput());
            nonNegative(at + ".output", price.output());
        }
        if (llm.defaultMaxTokens() <= 0) {
            error("llm.default_max_tokens", llm.defaultMaxTokens() + " must be greater than 0");
        }
        Set<String> models = new HashSet<>();
        for (ModelRouteConfig m : llm.models()) {
            models.add(m.name());
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < llm.models().size(); i++) {
            ModelRouteConfig m = llm.models().get(i);
            String at = "llm.models[" + i + "]";
            unique(seen, m.name(), at + ".name");
            if (!names.contains(m.provider())) {
                error(at + ".provider", "\"" + m.provider() + "\" is not a provider in llm.providers");
            }
            for (int j = 0; j < m.fallbacks().size(); j++) {
                String f = m.fallbacks().get(j);
                if (f.equals(m.name())) {
                    error(at + ".fallbacks[" + j + "]", "\"" + f + "\" is this entry itself");
                } else if (!models.contains(f)) {
                    error(at + ".fallbacks[" + j + "]", "\"" + f + "\" is not the name of an entry in llm.models");
                }
            }
        }
    }

    private void nonNegative(String at, Double usdPerMillion) {
        if (usdPerMillion != null && !(usdPerMillion >= 0 && usdPerMillion < 1_000_000)) {
            error(at, usdPerMillion + " must be a price in USD per million tokens, 0 or more");
        }
    }

    /** Client headers that carry the caller's credentials or belong to the connection: never forwarded. */
    private static final Set<String> UNFORWARDABLE = Set.of("authorization", "proxy-authorization", "x-api-key", "api-key",
            "x-goog-api-key", "cookie", "set-cookie", "host", "content-length", "transfer-encoding", "connection",
            "upgrade", "keep-alive", "te", "trailer", "proxy-connection");

    private void forwardHeaders(String at, List<String> names) {
        for (int j = 0; j < names.size(); j++) {
            String name = names.get(j);
            if (name == null || !HEADER_NAME.matcher(name).matches()) {
                error(at + "[" + j + "]", "\"" + name + "\" is not an HTTP header name");
            } else if (UNFORWARDABLE.contains(name.toLowerCase(Locale.ROOT))) {
                error(at + "[" + j + "]", "\"" + name + "\" is never forwarded: it carries the caller's credentials"
                        + " or belongs to the connection");
            }
        }
    }

    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private void mcp(McpConfig mcp) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < mcp.servers().size(); i++) {
            McpServerConfig s = mcp.servers().get(i);
            String at = "mcp.servers[" + i + "]";
            unique(names, s.name(), at + ".name");
            connectionPool(at + ".connection_pool", s.connectionPool());
            if (!SERVER_NAME.matcher(s.name()).matches() || s.name().contains("__")) {
                error(at + ".name", "\"" + s.name() + "\" may hold only letters, digits, '-', '_' and '.', and no \"__\"");
            }
            if (s.transport() == McpServerConfig.Transport.DEMO) {
                if (s.url() != null) {
                    error(at + ".url", "does not apply to transport demo (the server built into the gateway)");
                }
                if (!s.command().isEmpty()) {
                    error(at + ".command", "applies only to transport stdio");
                }
            } else if (s.transport() == McpServerConfig.Transport.STDIO) {
                if (s.command().isEmpty()) {
                    error(at + ".command", "is required for transport stdio");
                }
                if (s.url() != null) {
                    error(at + ".url", "does not apply to transport stdio");
                }
            } else {
                if (s.url() == null) {
                    error(at + ".url", "is required for transport " + ConfigBinder.wire(s.transport().name()));
                } else {
                    url(at + ".url", s.url());
                }
                if (!s.command().isEmpty()) {
                    error(at + ".command", "applies only to transport stdio");
                }
            }
            positive(at + ".timeout", s.timeout());
            positive(at + ".idle_timeout", s.idleTimeout());
            if (s.maxConnections() < 1) {
                error(at + ".max_connections", "must be at least 1 (is " + s.maxConnections() + ")");
            }
        }
        positive("mcp.session_idle_timeout", mcp.sessionIdleTimeout());
        positive("mcp.session_max_lifetime", mcp.sessionMaxLifetime());
        for (int i = 0; i < mcp.allowedOrigins().size(); i++) {
            String o = mcp.allowedOrigins().get(i);
            if (!o.equals("*") && !ORIGIN.matcher(o).matches()) {
                error("mcp.allowed_origins[" + i + "]", "\"" + shown(o) + "\" is not an origin (scheme://host[:port], no path) or *");
            }
        }
        for (int i = 0; i < mcp.allowedHosts().size(); i++) {
            String h = mcp.allowedHosts().get(i);
            if (!HOST.matcher(h).matches()) {
                error("mcp.allowed_hosts[" + i + "]", "\"" + shown(h) + "\" is not a host name, IP address ([::1] for IPv6), *.DOMAIN or *");
            }
        }
    }

    private void a2a(A2aConfig a2a) {
        connectionPool("a2a.connection_pool", a2a.connectionPool());
        Set<String> agents = new HashSet<>();
        for (int i = 0; i < a2a.agents().size(); i++) {
            A2aAgentConfig a = a2a.agents().get(i);
            String at = "a2a.agents[" + i + "]";
            dnsLabel(at + ".name", a.name());
            dnsLabel(at + ".namespace", a.namespace());
            unique(agents, a.namespace() + "/" + a.name(), at);
            if (a.url() != null && a.demo()) {
                error(at + ".url", "does not apply to a demo agent (demo: true, built into the gateway)");
            } else if (a.url() != null) {
                url(at + ".url", a.url());
            }
        }
        if (!a2a.defaultUrl().isEmpty()) {
            String probe = a2a.defaultUrl().replace("{name}", "agent").replace("{namespace}", "ns");
            if (probe.contains("{") || probe.contains("}")) {
                error("a2a.default_url", "\"" + shown(a2a.defaultUrl()) + "\" may use only the placeholders {name} and {namespace}");
            } else {
                url("a2a.default_url", probe);
            }
        }
        if (a2a.publicUrl() != null) {
            url("a2a.public_url", a2a.publicUrl());
        }
        positive("a2a.timeout", a2a.timeout());
        positive("a2a.stream_timeout", a2a.streamTimeout());
        Set<String> rules = new HashSet<>();
        for (int i = 0; i < a2a.authorization().size(); i++) {
            A2aRuleConfig r = a2a.authorization().get(i);
            String at = "a2a.authorization[" + i + "]";
            unique(rules, r.name(), at + ".name");
            selector(at + ".source", r.source());
            if (r.target().namespace() != null && !r.target().namespaces().isEmpty()) {
                error(at + ".target", "use namespace or namespaces, not both");
            }
        }
    }

    private void authentication(GatewayConfig c) {
        AuthenticationConfig auth = c.security().authentication();
        String base = "security.authentication";
        if (auth.method() != null && auth.methods() != null) {
            error(base + ".methods", "cannot be combined with a single-method type; move type: "
                    + ConfigBinder.wire(auth.method().type().name()) + " into methods");
        }
        if (auth.methods() != null && auth.methods().isEmpty()) {
            error(base + ".methods", "needs at least one method");
        }
        for (int i = 0; i < auth.allowedNamespaces().size(); i++) {
            dnsLabel(base + ".allowed_namespaces[" + i + "]", auth.allowedNamespaces().get(i));
        }
        boolean mtlsListener = c.listeners().stream().anyMatch(l -> l.tls() != null && l.tls().clientCaFile() != null);
        List<AuthMethodConfig> methods = auth.effectiveMethods();
        for (int i = 0; i < methods.size(); i++) {
            AuthMethodConfig m = methods.get(i);
            String at = auth.methods() != null ? base + ".methods[" + i + "]" : base;
            positive(at + ".clock_skew", m.clockSkew());
            if (m.clockSkew().compareTo(Duration.ofSeconds(60)) > 0) {
                error(at + ".clock_skew", Durations.format(m.clockSkew()) + " is more than the 60s allowed");
            }
            switch (m.type()) {
                case JWT -> {
                    if (m.issuer() == null) {
                        error(at + ".issuer", "is required for type jwt");
                    } else {
                        url(at + ".issuer", m.issuer());
                    }
                    if (m.jwksUri() != null) {
                        url(at + ".jwks_uri", m.jwksUri());
                    }
                }
                case API_KEY -> apiKeys(at, m.keys());
                case MTLS -> {
                    if (!mtlsListener) {
                        error(at + ".type", "mtls needs a listener with tls.client_ca_file");
                    }
                    if (m.trustDomain() != null && !TRUST_DOMAIN.matcher(m.trustDomain()).matches()) {
                        error(at + ".trust_domain", "\"" + m.trustDomain()
                                + "\" is not a SPIFFE trust domain (lower-case letters, digits, '.', '-', '_')");
                    }
                }
                case KUBERNETES -> {
                    if (m.kubernetes().apiServer() != null) {
                        url(at + ".kubernetes.api_server", m.kubernetes().apiServer());
                    }
                    positive(at + ".kubernetes.cache_ttl", m.kubernetes().cacheTtl());
                }
                case NONE -> {
                }
            }
        }
    }

    private void apiKeys(String at, List<ApiKeyConfig> keys) {
        if (keys.isEmpty()) {
            error(at + ".keys", "needs at least one key for type api_key");
        }
        Set<String> names = new HashSet<>();
        for (int j = 0; j < keys.size(); j++) {
            ApiKeyConfig k = keys.get(j);
            String kat = at + ".keys[" + j + "]";
            unique(names, k.name(), kat + ".name");
            dnsLabel(kat + ".namespace", k.namespace());
            if ((k.keySecret() == null) == (k.keyHash() == null)) {
                error(kat, "needs exactly one of key_secret or key_hash");
            }
            if (k.keyHash() != null && !SHA256.matcher(k.keyHash()).matches()) {
                error(kat + ".key_hash", "must be sha256: followed by 64 hex digits");
            }
        }
    }

    private void policies(AuthorizationConfig authz) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < authz.policies().size(); i++) {
            PolicyConfig p = authz.policies().get(i);
            String at = "authorization.policies[" + i + "]";
            unique(names, p.name(), at + ".name");
            if (p.match() != null && p.match().kubernetes() != null) {
                selector(at + ".match.kubernetes", p.match().kubernetes());
            }
            resources(at + ".resources", p.resources());
        }
    }

    private void rateLimits(List<RateLimitRule> rules) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < rules.size(); i++) {
            RateLimitRule r = rules.get(i);
            String at = "rate_limiting[" + i + "]";
            unique(names, r.name(), at + ".name");
            java.math.BigDecimal limit = r.limitDecimal();
            if (limit.signum() <= 0) {
                error(at + ".limit", r.limit() + " must be greater than 0");
            } else if (r.limitBy() != RateLimitRule.LimitBy.COST && limit.stripTrailingZeros().scale() > 0) {
                error(at + ".limit", limit.stripTrailingZeros().toPlainString() + " must be a whole number of " + ConfigBinder.wire(r.limitBy().name())
                        + " (only limit_by: cost takes a decimal amount, in USD)");
            } else if (r.limitBy() == RateLimitRule.LimitBy.COST && limit.stripTrailingZeros().scale() > 6) {
                error(at + ".limit", limit.stripTrailingZeros().toPlainString() + " has more than 6 decimal places (budgets count millionths of a dollar)");
            } else if (limit.compareTo(java.math.BigDecimal.valueOf(r.limitBy() == RateLimitRule.LimitBy.COST ? 1_000_000_000L : Long.MAX_VALUE)) > 0) {
                error(at + ".limit", r.limit() + " is too large");
            }
            positive(at + ".window", r.window());
            if (r.window().compareTo(MAX_WINDOW) > 0) {
                error(at + ".window", "\"" + Durations.format(r.window()) + "\" is longer than the 31d allowed");
            }
            if (r.window().toMillis() % 1000 != 0) {
                error(at + ".window", "\"" + Durations.format(r.window()) + "\" must be whole seconds");
            }
            if (r.resources() != null) {
                resources(at + ".resources", r.resources());
            }
            if (r.match() != null && r.match().kubernetes() != null) {
                selector(at + ".match.kubernetes", r.match().kubernetes());
            }
        }
    }

    private void observability(ObservabilityConfig o) {
        TracingConfig t = o.tracing();
        if (t.enabled() && t.exporter() == TracingConfig.Exporter.OTLP && t.endpoint() == null) {
            error("observability.tracing.endpoint", "is required when tracing is enabled");
        }
        if (!(t.samplingRatio() >= 0 && t.samplingRatio() <= 1)) {
            error("observability.tracing.sampling_ratio", t.samplingRatio() + " must be between 0 and 1");
        }
        List<LoggingConfig.AuditOutputConfig> outputs = o.logging().output();
        for (int i = 0; i < outputs.size(); i++) {
            LoggingConfig.AuditOutputConfig out = outputs.get(i);
            String at = "observability.logging.output[" + i + "]";
            switch (out.type()) {
                case ELASTICSEARCH, OPENSEARCH -> {
                    if (out.endpoint() == null) {
                        error(at + ".endpoint", "is required for type " + ConfigBinder.wire(out.type().name()));
                    } else {
                        url(at + ".endpoint", out.endpoint());
                    }
                    if (out.index() == null) {
                        error(at + ".index", "is required for type " + ConfigBinder.wire(out.type().name()));
                    }
                    if (out.passwordSecret() != null && out.username() == null) {
                        error(at + ".username", "is required with password_secret");
                    }
                }
                case FILE -> {
                    if (out.path() == null) {
                        error(at + ".path", "is required for type file");
                    }
                }
                case STDOUT -> {
                }
            }
            if (out.batchSize() <= 0) {
                error(at + ".batch_size", out.batchSize() + " must be greater than 0");
            }
            positive(at + ".flush_interval", out.flushInterval());
        }
    }

    private void selector(String at, PrincipalSelector s) {
        if (s.namespace() != null && !s.namespaces().isEmpty()) {
            error(at, "use namespace or namespaces, not both");
        }
    }

    private void resources(String at, List<String> resources) {
        if (resources.isEmpty()) {
            error(at, "needs at least one resource");
        }
        for (int i = 0; i < resources.size(); i++) {
            String r = resources.get(i);
            // mcp:SERVER and agent:NAMESPACE (no '/', no '*') are well-formed strings that can never
            // match a resource, so a policy naming them would silently do nothing
            boolean twoPart = r.startsWith("mcp:") || r.startsWith("agent:");
            String rest = r.substring(r.indexOf(':') + 1);
            if (!(r.equals("*") || r.startsWith("model:") || twoPart)
                    || r.endsWith(":")
                    || twoPart && !rest.contains("/") && !rest.contains("*")) {
                error(at + "[" + i + "]", "\"" + r + "\" is not a resource (model:NAME, mcp:SERVER/TOOL, agent:NAMESPACE/NAME or *)");
            }
        }
    }

    private void unique(Set<String> seen, String name, String at) {
        if (!seen.add(name)) {
            error(at, "\"" + name + "\" is used more than once");
        }
    }

    private void port(String at, int port) {
        if (port < 0 || port > 65535) {
            error(at, port + " is not a port (0-65535)");
        }
    }

    private void connectionPool(String at, ConnectionPoolConfig pool) {
        if (pool.maxConnections() < 1 || pool.maxConnections() > ConnectionPoolConfig.MAX_CONNECTIONS_CEILING) {
            error(at + ".max_connections", pool.maxConnections() + " is out of range (1 to " + ConnectionPoolConfig.MAX_CONNECTIONS_CEILING + ")");
        }
        if (pool.maxWaiting() < 0) {
            error(at + ".max_waiting", pool.maxWaiting() + " must be 0 or more");
        }
        positive(at + ".wait_timeout", pool.waitTimeout());
    }

    private void positive(String at, Duration d) {
        if (d != null && (d.isNegative() || d.isZero())) {
            error(at, "must be longer than 0");
        }
    }

    private void notBlank(String at, String s) {
        if (s.isBlank()) {
            error(at, "must not be empty");
        }
    }

    private void dnsLabel(String at, String s) {
        if (!s.equals("*") && !DNS_LABEL.matcher(s).matches()) {
            error(at, "\"" + s + "\" is not a Kubernetes name (lower-case letters, digits and '-', at most 63)");
        }
    }

    private void url(String at, String s) {
        try {
            URI u = URI.create(s);
            if (u.getScheme() == null || u.getHost() == null
                    || !(u.getScheme().equals("http") || u.getScheme().equals("https"))) {
                error(at, "\"" + shown(s) + "\" is not an http:// or https:// URL");
            }
        } catch (IllegalArgumentException e) {
            error(at, "\"" + shown(s) + "\" is not a URL");
        }
    }

    /** A URL as it may appear in an error: any {@code user:password@} part masked. */
    static String shown(String url) {
        return USER_INFO.matcher(url).replaceFirst("$1****@");
    }

    private void cidr(String at, String s) {
        String[] parts = s.split("/", -1);
        boolean ok = parts.length <= 2 && !parts[0].isEmpty() && parts[0].matches("[0-9a-fA-F:.]+");
        if (ok && parts.length == 2) {
            ok = parts[1].matches("\\d{1,3}");
        }
        if (!ok) {
            error(at, "\"" + s + "\" is not an IP address or CIDR range");
        }
    }

    private void file(String at, String path) {
        String problem = unreadable(baseDir, path);
        if (problem != null) {
            error(at, problem);
        }
    }

    /** Why {@code path} (relative to {@code baseDir}) cannot be read, or null when it can. */
    static String unreadable(Path baseDir, String path) {
        Path p = baseDir == null ? Path.of(path) : baseDir.resolve(path);
        return Files.isReadable(p) ? null : "\"" + path + "\" is not a readable file";
    }

    private void error(String path, String message) {
        errors.add(new ConfigError(path, message));
    }
}
