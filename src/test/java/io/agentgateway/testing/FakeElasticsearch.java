package io.agentgateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpServerRequest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A cluster answering the Elasticsearch/OpenSearch {@code _bulk} API as its reference shows it:
 * NDJSON action/document pairs in, {@code {"took","errors","items":[{"create":{"_index","_id","status"}}]}}
 * out, 409 for an id it already holds. Can be told to be unavailable (503). Keeps documents by id, in
 * arrival order, and the Authorization header it last saw.
 */
public final class FakeElasticsearch implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LoopbackServer server;
    private final Map<String, JsonNode> docs = new LinkedHashMap<>();
    private volatile boolean available = true;
    private volatile String lastAuthorization;

    public FakeElasticsearch() {
        server = LoopbackServer.start(this::handle);
    }

    public String endpoint() {
        return server.url();
    }

    public void available(boolean up) {
        available = up;
    }

    public synchronized List<JsonNode> documents() {
        return new ArrayList<>(docs.values());
    }

    public String lastAuthorization() {
        return lastAuthorization;
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            lastAuthorization = request.getHeader("authorization");
            if (!available) {
                request.response().setStatusCode(503).putHeader("content-type", "application/json")
                        .end("{\"error\":{\"type\":\"cluster_block_exception\",\"reason\":\"blocked\"},\"status\":503}");
                return;
            }
            if (!request.path().equals("/_bulk") || !"application/x-ndjson".equals(request.getHeader("content-type"))) {
                request.response().setStatusCode(400).end("{\"error\":\"bad request\",\"status\":400}");
                return;
            }
            ObjectNode result = JSON.createObjectNode();
            result.put("took", 3);
            ArrayNode items = result.putArray("items");
            boolean errors = false;
            String[] lines = body.toString().split("\n");
            synchronized (this) {
                for (int i = 0; i + 1 < lines.length; i += 2) {
                    try {
                        JsonNode action = JSON.readTree(lines[i]).path("create");
                        JsonNode doc = JSON.readTree(lines[i + 1]);
                        String id = action.path("_id").asText();
                        ObjectNode item = items.addObject().putObject("create");
                        item.put("_index", action.path("_index").asText());
                        item.put("_id", id);
                        if (docs.containsKey(id)) {
                            item.put("status", 409);
                            errors = true;
                        } else {
                            docs.put(id, doc);
                            item.put("status", 201);
                        }
                    } catch (Exception e) {
                        request.response().setStatusCode(400).end("{\"error\":\"malformed\",\"status\":400}");
                        return;
                    }
                }
            }
            result.put("errors", errors);
            request.response().putHeader("content-type", "application/json").end(result.toString());
        });
    }

    @Override
    public void close() {
        server.close();
    }
}
