package io.agentgateway.llm;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentgateway.policy.Glob;
import io.agentgateway.server.Json;
import io.agentgateway.upstream.Deadlines;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models of providers whose {@code models} are globs ({@code ["*"]}), read from the
 * provider's own list ({@code GET /models}) for {@code GET /v1/models}. Each list is kept for
 * {@link #TTL_MILLIS}; an expired list is still answered while a fresh one is fetched in the
 * background, so only the first listing after start (or after a failure) waits for the provider.
 * A failed fetch is logged and retried no sooner than {@link #RETRY_MILLIS} later; until then the
 * provider contributes what it last listed, or nothing. A list is capped at {@link #MAX_MODELS}.
 *
 * <p>Thread-safe: the cache is shared by every event loop; a fetch runs on the loop that asked.
 */
final class ProviderModels {
    private static final Logger log = LoggerFactory.getLogger(ProviderModels.class);
    static final long TTL_MILLIS = 10 * 60_000;
    static final long RETRY_MILLIS = 30_000;
    static final int MAX_MODELS = 2000;

    /** What is known of one provider's list; replaced whole. */
    private record Known(List<String> ids, long fetchedAt, long failedAt, Future<List<String>> fetching) {
    }

    private final Clock clock;
    private final Map<String, Known> known = new ConcurrentHashMap<>();

    ProviderModels(Clock clock) {
        this.clock = clock;
    }

    /** True when {@code provider}'s models are globs and it has a list to read them from. */
    static boolean listsUpstream(Provider provider) {
        return provider.modelsPath() != null && provider.config().models().stream().anyMatch(Glob::isPattern);
    }

    /**
     * The model ids {@code provider} lists that its {@code models} globs admit: the cached list,
     * refreshed in the background when expired, or fetched now when there is none.
     */
    Future<List<String>> models(Provider provider, Vertx vertx, HttpClient client) {
        long now = clock.millis();
        Known k = known.get(provider.name());
        boolean fresh = k != null && k.ids() != null && now - k.fetchedAt() < TTL_MILLIS;
        boolean resting = k != null && k.failedAt() > 0 && now - k.failedAt() < RETRY_MILLIS;
        if (fresh || resting || k != null && k.fetching() != null) {
            if (k.ids() != null || k.fetching() == null) {
                return Future.succeededFuture(k.ids() == null ? List.of() : k.ids());
            }
            return k.fetching().recover(e -> Future.succeededFuture(List.of()));
        }
        Future<List<String>> fetch = fetch(provider, vertx, client);
        known.put(provider.name(), new Known(k == null ? null : k.ids(), k == null ? 0 : k.fetchedAt(), 0, fetch));
        fetch.onComplete(ar -> {
            Known before = known.get(provider.name());
            List<String> last = before == null ? null : before.ids();
            if (ar.succeeded()) {
                known.put(provider.name(), new Known(ar.result(), clock.millis(), 0, null));
            } else {
                log.warn("could not read the model list of provider {} (GET {}): {}; GET /v1/models lists {} of its models until it answers",
                        provider.name(), provider.modelsPath(), ar.cause().getMessage(), last == null ? "none" : "the last known");
                known.put(provider.name(), new Known(last, before == null ? 0 : before.fetchedAt(), clock.millis(), null));
            }
        });
        if (k != null && k.ids() != null) {
            return Future.succeededFuture(k.ids());
        }
        return fetch.recover(e -> Future.succeededFuture(List.of()));
    }

    private Future<List<String>> fetch(Provider provider, Vertx vertx, HttpClient client) {
        Promise<List<String>> result = Promise.promise();
        HttpClientRequest[] current = new HttpClientRequest[1];
        Deadlines.Deadline deadline = Deadlines.of(vertx).watch(provider.config().timeout().toMillis(), () -> {
            result.tryFail("no answer within the provider's timeout");
            if (current[0] != null) {
                current[0].reset();
            }
        });
        provider.gate(vertx).acquire()
                .compose(permit -> provider.open(client, permit, null, HttpMethod.GET, provider.modelsPath(), null, "application/json",
                        Buffer.buffer(), null, MultiMap.caseInsensitiveMultiMap()))
                .compose(req -> {
                    current[0] = req;
                    return req.send();
                })
                .compose(resp -> resp.body().map(body -> {
                    if (resp.statusCode() != 200) {
                        throw new IllegalStateException("HTTP " + resp.statusCode());
                    }
                    return ids(provider, body);
                }))
                .onComplete(ar -> {
                    deadline.cancel();
                    if (ar.succeeded()) {
                        result.tryComplete(ar.result());
                    } else {
                        result.tryFail(ar.cause());
                    }
                });
        return result.future();
    }

    private static List<String> ids(Provider provider, Buffer body) {
        JsonNode data = Json.parse(body).path("data");
        if (!data.isArray()) {
            throw new IllegalStateException("the answer has no data list");
        }
        List<String> ids = new ArrayList<>(Math.min(data.size(), MAX_MODELS));
        for (JsonNode m : data) {
            String id = m.path("id").asText(null);
            if (id != null && !id.isBlank() && provider.serves(id) && ids.size() < MAX_MODELS) {
                ids.add(id);
            }
        }
        return List.copyOf(ids);
    }
}
