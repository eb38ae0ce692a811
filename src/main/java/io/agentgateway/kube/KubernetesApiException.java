package io.agentgateway.kube;

/**
 * The Kubernetes API server (or an OIDC endpoint) could not answer a question the gateway asked:
 * unreachable, timed out, refused the gateway's own credentials, or answered something that is
 * not the API's wire format. The message says which and is safe to show a caller: it names the
 * server, never a token.
 */
public final class KubernetesApiException extends RuntimeException {
    public KubernetesApiException(String message) {
        super(message, null, false, false);
    }
}
