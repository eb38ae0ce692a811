package io.agentgateway.llm.vertex;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import io.agentgateway.config.Secret;
import io.agentgateway.llm.CachedCredential;
import io.agentgateway.secret.SecretRef;
import io.vertx.core.Context;
import io.vertx.core.Future;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

/**
 * OAuth access tokens for Google Cloud ({@code cloud-platform} scope) from Google's auth
 * library: from a service-account key held in a Secret, or from the Application Default
 * Credentials (the pod's workload identity on GKE, through the metadata server). Token fetches
 * run on a worker thread and tokens are kept until shortly before they expire
 * ({@link CachedCredential}); a rotated service-account Secret is picked up on the next request.
 *
 * <p>Thread-safe: one per provider.
 */
final class GoogleAccessTokens {
    static final List<String> SCOPES = List.of("https://www.googleapis.com/auth/cloud-platform");

    /** A token and the service-account key it was fetched with (null for the ambient credentials). */
    private record Token(AccessToken token, Secret from) {
    }

    private final SecretRef serviceAccount;
    private final CachedCredential<Token> cache;

    /** @param serviceAccount the Secret key holding a service-account JSON key, or null for the Application Default Credentials */
    GoogleAccessTokens(SecretRef serviceAccount, Clock clock) {
        this.serviceAccount = serviceAccount;
        this.cache = new CachedCredential<>(this::fetch, t -> t.token().getExpirationTime() == null ? null
                : t.token().getExpirationTime().toInstant(), clock);
    }

    /** The bearer token to send now, completing on {@code context}; null when the service-account Secret cannot be read yet. */
    Future<String> current(Context context) {
        if (serviceAccount != null && serviceAccount.current() == null) {
            return Future.succeededFuture();
        }
        return cache.current(context).compose(t -> {
            if (serviceAccount != null && !serviceAccount.current().equals(t.from())) {
                cache.invalidate(); // the key was rotated: a token for the new one
                return cache.current(context);
            }
            return Future.succeededFuture(t);
        }).map(t -> t.token().getTokenValue());
    }

    /** Blocking: runs on a worker thread. */
    private Token fetch() throws IOException {
        Secret key = serviceAccount == null ? null : serviceAccount.current();
        GoogleCredentials credentials = key == null ? GoogleCredentials.getApplicationDefault()
                : GoogleCredentials.fromStream(new ByteArrayInputStream(key.reveal().getBytes(StandardCharsets.UTF_8)));
        credentials = credentials.createScoped(SCOPES);
        return new Token(credentials.refreshAccessToken(), key);
    }
}
