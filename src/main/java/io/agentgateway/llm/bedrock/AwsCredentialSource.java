package io.agentgateway.llm.bedrock;

import io.agentgateway.config.Secret;
import io.agentgateway.secret.SecretRef;
import io.vertx.core.Context;
import io.vertx.core.Future;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * Where Bedrock's signing credentials come from, without blocking the event loop.
 *
 * <p>Thread-safe: one per provider, asked from every event loop.
 */
interface AwsCredentialSource {
    /**
     * The credentials to sign with now, completing on {@code context}; null when there are none
     * (a secret not yet readable: the request goes unsigned and AWS refuses it).
     */
    Future<AwsCredentialsIdentity> current(Context context);

    /**
     * Keys from a Kubernetes Secret, read per request (rotation needs no reload).
     *
     * @param sessionToken null when the secret names none (long-lived keys)
     */
    static AwsCredentialSource secret(SecretRef accessKeyId, SecretRef secretAccessKey, SecretRef sessionToken) {
        return context -> {
            Secret id = accessKeyId.current();
            Secret key = secretAccessKey.current();
            if (id == null || key == null) {
                return Future.succeededFuture();
            }
            Secret token = sessionToken == null ? null : sessionToken.current();
            return Future.succeededFuture(token == null || token.isEmpty()
                    ? AwsCredentialsIdentity.create(id.reveal(), key.reveal())
                    : AwsSessionCredentialsIdentity.create(id.reveal(), key.reveal(), token.reveal()));
        };
    }

    /**
     * An AWS SDK credentials provider (the default chain: environment, the pod's web identity
     * through STS, container and instance credentials), asked on a worker thread since it may
     * call out, and its answer kept until shortly before it expires; one refresh at a time.
     */
    static AwsCredentialSource provider(AwsCredentialsProvider provider, Clock clock) {
        return new Cached(provider, clock);
    }

    /** Credentials from a provider that may block, cached until {@link #REFRESH_BEFORE} their expiry. */
    final class Cached implements AwsCredentialSource {
        /** Refreshed this long before they expire (STS credentials last an hour at least). */
        static final Duration REFRESH_BEFORE = Duration.ofMinutes(5);

        private final AwsCredentialsProvider provider;
        private final Clock clock;
        private volatile AwsCredentialsIdentity cached;
        private CompletionStage<AwsCredentialsIdentity> refreshing;

        Cached(AwsCredentialsProvider provider, Clock clock) {
            this.provider = provider;
            this.clock = clock;
        }

        @Override
        public Future<AwsCredentialsIdentity> current(Context context) {
            AwsCredentialsIdentity now = cached;
            Instant at = clock.instant();
            if (now != null && !expiring(now, at, Duration.ZERO)) {
                if (expiring(now, at, REFRESH_BEFORE)) {
                    refresh(context); // in the background: the current ones still serve
                }
                return Future.succeededFuture(now);
            }
            return Future.fromCompletionStage(refresh(context), context);
        }

        private static boolean expiring(AwsCredentialsIdentity identity, Instant at, Duration margin) {
            return identity.expirationTime().map(e -> !at.plus(margin).isBefore(e)).orElse(false);
        }

        private synchronized CompletionStage<AwsCredentialsIdentity> refresh(Context context) {
            if (refreshing == null) {
                refreshing = context.owner().<AwsCredentialsIdentity>executeBlocking(provider::resolveCredentials, false)
                        .andThen(ar -> done(ar.succeeded() ? ar.result() : null))
                        .toCompletionStage();
            }
            return refreshing;
        }

        private synchronized void done(AwsCredentialsIdentity identity) {
            if (identity != null) {
                cached = identity;
            }
            refreshing = null;
        }
    }
}
