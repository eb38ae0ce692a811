package io.agentgateway.policy;

import io.vertx.core.MultiMap;

/**
 * What a {@code when:} condition may look at besides principal and resource: the request's
 * method, path and headers. A view, not a copy; valid only during the decision.
 */
public record RequestFacts(String method, String path, MultiMap headers) {
    public static final RequestFacts EMPTY = new RequestFacts("", "", MultiMap.caseInsensitiveMultiMap());
}
