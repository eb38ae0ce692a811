package io.agentgateway.kube;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code status} of an {@code authentication.k8s.io/v1} TokenReview: whether the API server
 * authenticated the token, as which user, for which audiences, or the error it gave. Fields the
 * API server omits (it omits {@code authenticated} when false) read as false, null or empty.
 */
public record TokenReview(boolean authenticated, String username, String uid, List<String> groups,
                          Map<String, List<String>> extra, List<String> audiences, String error) {

    public TokenReview {
        groups = List.copyOf(groups);
        extra = Map.copyOf(extra);
        audiences = List.copyOf(audiences);
    }

    /** The request body for reviewing {@code token} against {@code audiences} (none: the API server's own). */
    public static JsonObject request(String token, List<String> audiences) {
        JsonObject spec = new JsonObject().put("token", token);
        if (!audiences.isEmpty()) {
            spec.put("audiences", new JsonArray(List.copyOf(audiences)));
        }
        return new JsonObject()
                .put("apiVersion", "authentication.k8s.io/v1")
                .put("kind", "TokenReview")
                .put("spec", spec);
    }

    /**
     * Reads a TokenReview response body.
     *
     * @throws IllegalArgumentException when it is not a TokenReview
     */
    public static TokenReview parse(JsonObject body) {
        if (!"TokenReview".equals(body.getString("kind"))) {
            throw new IllegalArgumentException("the answer is a " + body.getValue("kind") + ", not a TokenReview");
        }
        JsonObject status = body.getJsonObject("status", new JsonObject());
        JsonObject user = status.getJsonObject("user", new JsonObject());
        Map<String, List<String>> extra = new LinkedHashMap<>();
        JsonObject ex = user.getJsonObject("extra", new JsonObject());
        for (String k : ex.fieldNames()) {
            extra.put(k, strings(ex.getValue(k) instanceof JsonArray a ? a : new JsonArray()));
        }
        return new TokenReview(status.getBoolean("authenticated", false), user.getString("username"),
                user.getString("uid"), strings(user.getJsonArray("groups", new JsonArray())), extra,
                strings(status.getJsonArray("audiences", new JsonArray())), status.getString("error"));
    }

    private static List<String> strings(JsonArray a) {
        List<String> out = new ArrayList<>(a.size());
        for (Object o : a) {
            if (o instanceof String s) {
                out.add(s);
            }
        }
        return out;
    }
}
