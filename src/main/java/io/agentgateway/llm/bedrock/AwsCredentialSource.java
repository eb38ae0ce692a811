package io.agentgateway.llm.bedrock;

import io.agentgateway.config.Secret;
import io.agentgateway.llm.CachedCredential;
import io.agentgateway.secret.SecretRef;
import io.vertx.core.Context;
import io.vertx.core.Future;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

import java.time.Clock;

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
     * call out, its answer kept until shortly before it expires ({@link CachedCredential}).
     */
    static AwsCredentialSource provider(AwsCredentialsProvider provider, Clock clock) {
        CachedCredential<AwsCredentialsIdentity> cached = new CachedCredential<>(provider::resolveCredentials,
                identity -> identity.expirationTime().orElse(null), clock);
        return cached::current;
    }
}
