package io.agentgateway.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;

import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Points an agent card at the gateway. The card's endpoints are rewritten to the gateway's
 * address for that agent: {@code url} (A2A 0.3), {@code additionalInterfaces[].url} (0.3) and
 * {@code supportedInterfaces[].url} (1.0). Every other field is kept as the agent wrote it
 * ({@code provider.url}, {@code documentationUrl}, {@code iconUrl} are not endpoints).
 *
 * <p>The gateway serves the JSON-RPC and HTTP+JSON (REST) bindings, both at the same address:
 * JSON-RPC calls are POSTed to it, REST paths ({@code /message:send}, {@code /tasks/ID}...) go
 * below it. Interfaces of another binding (gRPC, which the gateway does not proxy, or one it does
 * not know) are removed rather than left pointing at the agent itself, which would let a caller
 * go around the gateway; a 0.3 {@code preferredTransport} naming such a binding becomes
 * {@code JSONRPC} for the same reason. A card that names no endpoint at all is refused, as the
 * caller could not use it.
 *
 * <p>Stateless and thread-safe. The upstream card is never modified; a rewritten copy is returned.
 */
final class CardRewriter {
    static final String JSONRPC = "JSONRPC";
    static final String HTTP_JSON = "HTTP+JSON";

    /**
     * An HTTP+JSON interface of the agent as its card declares it.
     *
     * @param url     the interface's URL as the card gives it
     * @param version its {@code protocolVersion} (a 0.3 card's own for its {@code additionalInterfaces})
     */
    record RestInterface(String url, String version) {
    }

    private CardRewriter() {
    }

    /**
     * @param card     the agent's card, as fetched (not modified)
     * @param agentUrl the gateway's URL for this agent
     * @param agent    the agent, for error messages
     * @throws GatewayError 502 when the card has no endpoint or an endpoint field of the wrong type
     */
    static ObjectNode rewrite(ObjectNode card, String agentUrl, String agent) {
        ObjectNode out = card.deepCopy();
        boolean endpoint = false;
        JsonNode url = out.get("url");
        if (url != null && !url.isNull()) {
            if (!url.isTextual()) {
                throw invalid(agent, "its url is " + Json.kind(url) + ", not a string");
            }
            out.put("url", agentUrl);
            endpoint = true;
            JsonNode preferred = out.get("preferredTransport");
            if (preferred != null && preferred.isTextual() && !served(preferred.asText())) {
                out.put("preferredTransport", JSONRPC);
            }
        }
        endpoint |= interfaces(out, "additionalInterfaces", "transport", agentUrl, agent);
        endpoint |= interfaces(out, "supportedInterfaces", "protocolBinding", agentUrl, agent);
        if (!endpoint) {
            throw invalid(agent, "it has no url (nor any JSON-RPC or HTTP+JSON entry in supportedInterfaces)");
        }
        return out;
    }

    /** Rewrites the entries of an interface list the gateway serves and drops the others; true if one was rewritten. */
    private static boolean interfaces(ObjectNode card, String field, String bindingField, String agentUrl, String agent) {
        JsonNode list = card.get(field);
        if (list == null || list.isNull()) {
            return false;
        }
        if (!list.isArray()) {
            throw invalid(agent, "its " + field + " is " + Json.kind(list) + ", not an array");
        }
        boolean rewritten = false;
        Iterator<JsonNode> it = ((ArrayNode) list).elements();
        while (it.hasNext()) {
            JsonNode entry = it.next();
            if (!entry.isObject()) {
                throw invalid(agent, "an entry of its " + field + " is " + Json.kind(entry) + ", not an object");
            }
            JsonNode binding = entry.has(bindingField) ? entry.get(bindingField) : entry.get("transport");
            if (binding != null && binding.isTextual() && !served(binding.asText())) {
                it.remove();
                continue;
            }
            ((ObjectNode) entry).put("url", agentUrl);
            rewritten = true;
        }
        return rewritten;
    }

    /**
     * The agent's HTTP+JSON interfaces (from the card as fetched): 1.0 {@code supportedInterfaces}
     * and 0.3 {@code additionalInterfaces}, or the 0.3 {@code url} when its preferred transport is
     * HTTP+JSON. Entries that are not well-formed are skipped ({@link #rewrite} reports them).
     */
    static List<RestInterface> restInterfaces(ObjectNode card) {
        List<RestInterface> out = new ArrayList<>(2);
        String cardVersion = text(card.get("protocolVersion"));
        String preferred = text(card.get("preferredTransport"));
        String url = text(card.get("url"));
        if (url != null && preferred != null && isHttpJson(preferred)) {
            out.add(new RestInterface(url, cardVersion));
        }
        for (String field : new String[]{"supportedInterfaces", "additionalInterfaces"}) {
            JsonNode list = card.get(field);
            if (list == null || !list.isArray()) {
                continue;
            }
            for (JsonNode entry : list) {
                String binding = text(entry.has("protocolBinding") ? entry.get("protocolBinding") : entry.get("transport"));
                String at = text(entry.get("url"));
                if (binding != null && at != null && isHttpJson(binding)) {
                    String version = text(entry.get("protocolVersion"));
                    out.add(new RestInterface(at, version != null ? version : cardVersion));
                }
            }
        }
        return out;
    }

    /**
     * The path HTTP+JSON calls go below: that of the agent's HTTP+JSON interface serving the
     * caller's version (or its only one), without a trailing slash. Only the path is taken from the
     * card: calls go to the configured host, whatever host the card names.
     *
     * @param version the caller's {@code A2A-Version}, or null
     * @throws GatewayError 404 when the card declares no such interface, 502 when its URL is unusable
     */
    static String restBase(ObjectNode card, String version, String agent) {
        List<RestInterface> all = restInterfaces(card);
        RestInterface chosen = null;
        for (RestInterface i : all) {
            if (A2aVersion.serves(i.version(), version)) {
                chosen = i;
                break;
            }
        }
        if (chosen == null && all.size() == 1) {
            chosen = all.get(0);
        }
        if (chosen == null) {
            throw new GatewayError(ErrorKind.NOT_FOUND, 404, "binding_not_served", "agent " + agent
                    + " declares no HTTP+JSON interface" + (all.isEmpty() ? "" : " for A2A version "
                    + (version == null ? "0.3 (no A2A-Version was sent)" : version)) + " in its card; use its JSON-RPC"
                    + " interface at the same URL", null, null);
        }
        String path;
        try {
            path = URI.create(chosen.url()).getRawPath();
        } catch (IllegalArgumentException e) {
            throw invalid(agent, "the url of its HTTP+JSON interface is not a URL");
        }
        if (path == null) {
            throw invalid(agent, "the url of its HTTP+JSON interface is not a URL");
        }
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static String text(JsonNode n) {
        return n != null && n.isTextual() ? n.asText() : null;
    }

    /** Bindings the gateway serves: JSON-RPC and HTTP+JSON. */
    static boolean served(String binding) {
        return isJsonRpc(binding) || isHttpJson(binding);
    }

    /** {@code JSONRPC} as the specification spells it, also in the spellings agents use in the wild. */
    static boolean isJsonRpc(String binding) {
        String b = binding.toUpperCase(Locale.ROOT).replace("-", "").replace("_", "");
        return b.equals(JSONRPC) || b.equals("JSONRPC2.0");
    }

    /** {@code HTTP+JSON} as the specification spells it, and {@code REST}, as some agents call it. */
    static boolean isHttpJson(String binding) {
        String b = binding.toUpperCase(Locale.ROOT).replace("-", "").replace("_", "").replace(" ", "");
        return b.equals(HTTP_JSON) || b.equals("HTTPJSON") || b.equals("REST");
    }

    static GatewayError invalid(String agent, String why) {
        return new GatewayError(ErrorKind.UPSTREAM_ERROR, 502, "invalid_agent_card",
                "agent " + agent + " served an agent card the gateway cannot pass on: " + why, null, null);
    }
}
