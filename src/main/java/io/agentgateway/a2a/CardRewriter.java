package io.agentgateway.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.server.ErrorKind;
import io.agentgateway.server.GatewayError;
import io.agentgateway.server.Json;

import java.util.Iterator;
import java.util.Locale;

/**
 * Points an agent card at the gateway. The card's endpoints are rewritten to the gateway's
 * address for that agent: {@code url} (A2A 0.3), {@code additionalInterfaces[].url} (0.3) and
 * {@code supportedInterfaces[].url} (1.0). Every other field is kept as the agent wrote it
 * ({@code provider.url}, {@code documentationUrl}, {@code iconUrl} are not endpoints).
 *
 * <p>The gateway serves the JSON-RPC binding only, so interfaces of another binding (gRPC,
 * HTTP+JSON) are removed rather than left pointing at the agent itself, which would let a caller
 * go around the gateway; a 0.3 {@code preferredTransport} naming another binding becomes
 * {@code JSONRPC} for the same reason. A card that names no endpoint at all is refused, as the
 * caller could not use it.
 *
 * <p>Stateless and thread-safe. The upstream card is never modified; a rewritten copy is returned.
 */
final class CardRewriter {
    static final String JSONRPC = "JSONRPC";

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
            if (preferred != null && preferred.isTextual() && !isJsonRpc(preferred.asText())) {
                out.put("preferredTransport", JSONRPC);
            }
        }
        endpoint |= interfaces(out, "additionalInterfaces", "transport", agentUrl, agent);
        endpoint |= interfaces(out, "supportedInterfaces", "protocolBinding", agentUrl, agent);
        if (!endpoint) {
            throw invalid(agent, "it has no url (nor any JSON-RPC entry in supportedInterfaces)");
        }
        return out;
    }

    /** Rewrites the JSON-RPC entries of an interface list and drops the others; true if one was rewritten. */
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
            if (binding != null && binding.isTextual() && !isJsonRpc(binding.asText())) {
                it.remove();
                continue;
            }
            ((ObjectNode) entry).put("url", agentUrl);
            rewritten = true;
        }
        return rewritten;
    }

    /** {@code JSONRPC} as the specification spells it, also in the spellings agents use in the wild. */
    static boolean isJsonRpc(String binding) {
        String b = binding.toUpperCase(Locale.ROOT).replace("-", "").replace("_", "");
        return b.equals(JSONRPC) || b.equals("JSONRPC2.0");
    }

    static GatewayError invalid(String agent, String why) {
        return new GatewayError(ErrorKind.UPSTREAM_ERROR, 502, "invalid_agent_card",
                "agent " + agent + " served an agent card the gateway cannot pass on: " + why, null, null);
    }
}
