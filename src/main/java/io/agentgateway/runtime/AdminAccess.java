package io.agentgateway.runtime;

import io.agentgateway.config.AdminAuthenticationConfig;
import io.agentgateway.config.AdminConfig;
import io.agentgateway.config.AuthMethodConfig;
import io.agentgateway.config.GatewayConfig;
import io.agentgateway.config.KubernetesApiConfig;
import io.agentgateway.identity.ApiKeyAuthenticator;
import io.agentgateway.identity.Authentication;
import io.agentgateway.identity.AuthenticationException;
import io.agentgateway.identity.Authenticator;
import io.agentgateway.identity.AuthenticatorCompiler;
import io.agentgateway.identity.Credentials;
import io.agentgateway.identity.Principal;
import io.agentgateway.policy.PrincipalMatcher;
import io.agentgateway.secret.SecretRef;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Who may read {@code /api/*} on the admin port (the admin API and the console's data). On a
 * loopback address without {@code admin.authentication}, anyone who can reach it (the pod itself,
 * {@code kubectl port-forward}). Anywhere else a credential is required: the bearer token held in
 * {@code admin.authentication.token_secret}, or a Kubernetes service-account token of an identity
 * in {@code admin.authentication.service_accounts}, checked by the same authenticators as callers'
 * tokens. Bound off loopback with nothing configured, {@code /api/*} is refused with a message
 * saying how to open it. Health, readiness and metrics stay open (probes and scrapers).
 *
 * <p>Immutable and thread-safe; compiled with each config.
 */
final class AdminAccess {
    private static final String REALM = "Bearer realm=\"agentgateway-admin\"";
    static final AdminAccess OPEN = new AdminAccess(null, List.of(), null);

    private final Authentication authentication;
    private final List<PrincipalMatcher> serviceAccounts;
    private final String closed;

    private AdminAccess(Authentication authentication, List<PrincipalMatcher> serviceAccounts, String closed) {
        this.authentication = authentication;
        this.serviceAccounts = serviceAccounts;
        this.closed = closed;
    }

    /**
     * Part of planning a config: reads nothing, starts nothing.
     *
     * @param require declares a secret the config cannot serve without (readiness waits for it)
     * @param tokens  compiles the Kubernetes authenticator (errors and readiness go where the callers' do)
     */
    static AdminAccess compile(GatewayConfig config, BiFunction<String, String, SecretRef> require, AuthenticatorCompiler tokens) {
        AdminConfig admin = config.admin();
        AdminAuthenticationConfig auth = admin.authentication();
        if (auth == null) {
            return admin.loopback() ? OPEN : new AdminAccess(null, List.of(), "the admin port is bound to " + admin.address()
                    + " and admin.authentication is not configured: set admin.authentication.token_secret or "
                    + "admin.authentication.service_accounts to read /api and the console, or bind admin.address to 127.0.0.1");
        }
        List<Authenticator> methods = new ArrayList<>();
        if (auth.tokenSecret() != null) {
            SecretRef token = require.apply(auth.tokenSecret(), auth.tokenSecretKey());
            methods.add(new ApiKeyAuthenticator(List.of(new ApiKeyAuthenticator.Key("admin", token, null, "-", null)), null));
        }
        if (!auth.serviceAccounts().isEmpty()) {
            Authenticator kubernetes = tokens.compile(kubernetesMethod(config), "admin.authentication");
            if (kubernetes != null) {
                methods.add(kubernetes);
            }
        }
        return new AdminAccess(new Authentication(methods, Set.of()),
                auth.serviceAccounts().stream().map(PrincipalMatcher::of).toList(), null);
    }

    /** The callers' kubernetes method when there is one (same API server, audiences, cache), else the in-cluster defaults. */
    private static AuthMethodConfig kubernetesMethod(GatewayConfig config) {
        return config.security().authentication().effectiveMethods().stream()
                .filter(m -> m.type() == AuthMethodConfig.Type.KUBERNETES).findFirst()
                .orElseGet(() -> new AuthMethodConfig(AuthMethodConfig.Type.KUBERNETES, null, null, KubernetesApiConfig.IN_CLUSTER,
                        null, null, null, null, null, null, null, null, null, null));
    }

    /** Route handler for {@code /api/*}: next when allowed, else 401/403 as JSON. */
    void handle(RoutingContext rc) {
        if (closed != null) {
            refuse(rc, new AuthenticationException(403, closed));
            return;
        }
        if (authentication == null) {
            rc.next();
            return;
        }
        HttpServerRequest request = rc.request();
        Credentials credentials = new Credentials(request.headers(), List.of(),
                request.remoteAddress() == null ? null : request.remoteAddress().hostAddress());
        authentication.authenticate(credentials).onComplete(ar -> {
            if (ar.failed()) {
                refuse(rc, ar.cause() instanceof AuthenticationException a ? a
                        : new AuthenticationException(503, "the credential could not be checked"));
                return;
            }
            Principal p = ar.result();
            if ("api_key".equals(p.method()) || serviceAccounts.stream().anyMatch(m -> m.matches(p))) {
                rc.next();
            } else {
                refuse(rc, new AuthenticationException(403, "service account " + p.namespace() + "/" + p.serviceAccount()
                        + " is not in admin.authentication.service_accounts"));
            }
        });
    }

    private static void refuse(RoutingContext rc, AuthenticationException e) {
        var response = rc.response().setStatusCode(e.status()).putHeader("content-type", "application/json")
                .putHeader("cache-control", "no-store");
        if (e.status() == 401) {
            response.putHeader("www-authenticate", REALM);
        }
        response.end(new JsonObject().put("error", new JsonObject()
                .put("code", e.status() == 401 ? "unauthenticated" : e.status() == 403 ? "forbidden" : "unavailable")
                .put("message", e.getMessage())).encode());
    }
}
