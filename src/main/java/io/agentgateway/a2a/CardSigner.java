package io.agentgateway.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.impl.ECDSA;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import io.agentgateway.server.Json;
import org.erdtman.jcs.JsonCanonicalizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Iterator;
import java.util.Map;

/**
 * Signs a rewritten agent card as the A2A specification describes (1.0 §8.4, {@code AgentCardSignature}):
 * a JWS with a detached payload over the card without its {@code signatures}, empty values
 * ({@code null}, {@code ""}, {@code []}, {@code {}}) left out, canonicalized with RFC 8785 (JCS).
 * The protected header names the key ({@code kid}), where to find it ({@code jku}, the gateway's
 * JWKS) and {@code typ: JOSE}. The agent's own signatures are replaced: they covered the card
 * before its endpoints were pointed at the gateway, so they no longer verify.
 *
 * <p>Thread-safe; the keys may rotate between two cards.
 */
final class CardSigner {
    /** Where the gateway publishes its keys, under its A2A base URL. */
    static final String JWKS_PATH = "/.well-known/jwks.json";

    private final CardKeys keys;

    CardSigner(CardKeys keys) {
        this.keys = keys;
    }

    CardKeys keys() {
        return keys;
    }

    /** Whether the agent signed its card (so the rewritten one is signed by the gateway). */
    static boolean signed(JsonNode card) {
        JsonNode s = card.get("signatures");
        return s != null && s.isArray() && !s.isEmpty();
    }

    /**
     * Replaces the card's signatures with the gateway's.
     *
     * @param card    the rewritten card (modified)
     * @param jwksUrl the URL of the gateway's JWKS as this caller reaches it
     */
    ObjectNode sign(ObjectNode card, String jwksUrl) {
        JWK key = keys.signingKey();
        JWSHeader header = new JWSHeader.Builder(algorithm(key))
                .type(JOSEObjectType.JOSE)
                .keyID(key.getKeyID())
                .jwkURL(URI.create(jwksUrl))
                .build();
        JWSObject jws = new JWSObject(header, new Payload(canonical(card)));
        try {
            jws.sign(signer(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign an agent card with key " + key.getKeyID(), e);
        }
        ArrayNode signatures = card.putArray("signatures");
        signatures.addObject()
                .put("protected", jws.getHeader().toBase64URL().toString())
                .put("signature", jws.getSignature().toString());
        return card;
    }

    /** The bytes a card signature covers. */
    static byte[] canonical(ObjectNode card) {
        ObjectNode copy = card.deepCopy();
        copy.remove("signatures");
        JsonNode cleaned = withoutEmpty(copy);
        try {
            return new JsonCanonicalizer(Json.MAPPER.writeValueAsString(cleaned == null ? Json.MAPPER.createObjectNode() : cleaned))
                    .getEncodedUTF8();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The node without empty values, or null when nothing is left of it. */
    private static JsonNode withoutEmpty(JsonNode node) {
        if (node == null || node.isNull() || (node.isTextual() && node.asText().isEmpty())) {
            return null;
        }
        if (node.isArray()) {
            ArrayNode out = Json.MAPPER.createArrayNode();
            for (JsonNode item : node) {
                JsonNode kept = withoutEmpty(item);
                if (kept != null) {
                    out.add(kept);
                }
            }
            return out.isEmpty() ? null : out;
        }
        if (node.isObject()) {
            ObjectNode out = Json.MAPPER.createObjectNode();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                JsonNode kept = withoutEmpty(f.getValue());
                if (kept != null) {
                    out.set(f.getKey(), kept);
                }
            }
            return out.isEmpty() ? null : out;
        }
        return node;
    }

    private static JWSAlgorithm algorithm(JWK key) {
        if (key instanceof ECKey ec) {
            try {
                return ECDSA.resolveAlgorithm(ec.getCurve());
            } catch (JOSEException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        return JWSAlgorithm.RS256;
    }

    private static JWSSigner signer(JWK key) throws JOSEException {
        if (key instanceof ECKey ec) {
            return new ECDSASigner(ec);
        }
        return new RSASSASigner((RSAKey) key);
    }
}
