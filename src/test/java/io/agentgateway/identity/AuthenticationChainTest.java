package io.agentgateway.identity;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** Methods tried in order: a declined credential goes on to the next method; the first reason is the answer if none accepts. */
class AuthenticationChainTest {
    static final String JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";
    final Principal dev = Principal.serviceAccount("dev-team", "agent", "jwt", Map.of());

    static Authenticator method(Function<Credentials, Future<Optional<Principal>>> f) {
        return new Authenticator() {
            @Override
            public Future<Optional<Principal>> authenticate(Credentials credentials) {
                return f.apply(credentials);
            }

            @Override
            public String name() {
                return "test";
            }
        };
    }

    static Credentials bearer(String token) {
        return headers("authorization", "Bearer " + token);
    }

    static Credentials headers(String... kv) {
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < kv.length; i += 2) {
            h.add(kv[i], kv[i + 1]);
        }
        return new Credentials(h, List.of(), "127.0.0.1");
    }

    static AuthenticationException failure(Future<Principal> f) {
        assertThat(f.failed()).isTrue();
        return (AuthenticationException) f.cause();
    }

    @Test
    void anUnconfiguredKubernetesMethodLetsALaterMethodAcceptTheToken() {
        Authentication chain = new Authentication(List.of(
                new UnconfiguredAuthenticator("kubernetes", "no API server"),
                method(c -> Future.succeededFuture(Optional.of(dev)))), Set.of());
        assertThat(chain.authenticate(bearer(JWT)).result()).isEqualTo(dev);
    }

    @Test
    void whenNoMethodAcceptsTheUnconfiguredMethodsReasonIsA503() {
        Authentication chain = new Authentication(List.of(
                new UnconfiguredAuthenticator("kubernetes", "no API server"),
                method(c -> Authentication.notMine())), Set.of());
        AuthenticationException e = failure(chain.authenticate(bearer(JWT)));
        assertThat(e.status()).isEqualTo(503);
        assertThat(e.getMessage()).isEqualTo("no API server");
        assertThat(e.declined()).isFalse();
    }

    @Test
    void theFirstDeclinedReasonIsTheAnswer() {
        Authentication chain = new Authentication(List.of(
                method(c -> Future.failedFuture(AuthenticationException.declined("issuer A"))),
                method(c -> Future.failedFuture(AuthenticationException.declined("issuer B")))), Set.of());
        AuthenticationException e = failure(chain.authenticate(bearer(JWT)));
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.getMessage()).isEqualTo("issuer A");
    }

    @Test
    void aRefusalStopsTheChain() {
        Authentication chain = new Authentication(List.of(
                method(c -> Future.failedFuture(AuthenticationException.invalid("expired"))),
                method(c -> Future.succeededFuture(Optional.of(dev)))), Set.of());
        assertThat(failure(chain.authenticate(bearer(JWT))).getMessage()).isEqualTo("expired");
    }

    @Test
    void unrecognisedCredentialsSayWhatWasWrong() {
        Authentication chain = new Authentication(List.of(method(c -> Authentication.notMine())), Set.of());
        assertThat(failure(chain.authenticate(headers())).getMessage()).startsWith("missing credential");
        assertThat(failure(chain.authenticate(headers("authorization", ""))).getMessage()).contains("not of the form");
        assertThat(failure(chain.authenticate(headers("authorization", "Basic eDp5"))).getMessage()).contains("not of the form");
        assertThat(failure(chain.authenticate(bearer("opaque"))).getMessage()).contains("not accepted by any");
    }

    @Test
    void allowedNamespacesGive403() {
        Authentication chain = new Authentication(List.of(method(c -> Future.succeededFuture(Optional.of(dev)))), Set.of("production"));
        AuthenticationException e = failure(chain.authenticate(bearer(JWT)));
        assertThat(e.status()).isEqualTo(403);
        assertThat(e.getMessage()).contains("\"dev-team\"");
    }
}
