package io.agentgateway.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one Jackson mapper for wire bodies, and the request-body parse every listener shares: one
 * tree parse per request, bad JSON turned into a {@link GatewayError} that says where it broke.
 */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    static {
        // Request bodies may legitimately hold a long base64 image or document.
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(Integer.MAX_VALUE).maxNestingDepth(200).build());
    }

    private Json() {
    }

    /** Parses a body that must be one JSON value; fails with a 400 naming what was wrong. */
    public static JsonNode parse(Buffer body) {
        if (body.length() == 0) {
            throw GatewayError.invalid("the request body is empty; it must be a JSON object", null);
        }
        try {
            JsonNode node = MAPPER.readTree(body.getBytes());
            if (node == null || node.isMissingNode()) {
                throw GatewayError.invalid("the request body is empty; it must be a JSON object", null);
            }
            return node;
        } catch (JsonProcessingException e) {
            throw GatewayError.invalid("the request body is not valid JSON at " + JsonSyntax.describe(e), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a body that must be a JSON object. */
    public static ObjectNode parseObject(Buffer body) {
        JsonNode node = parse(body);
        if (!node.isObject()) {
            throw GatewayError.invalid("the request body must be a JSON object, not " + kind(node), null);
        }
        return (ObjectNode) node;
    }

    public static Buffer write(JsonNode node) {
        try {
            return Buffer.buffer(MAPPER.writeValueAsBytes(node));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How a JSON value is called in an error message ("an array", "a string"). */
    public static String kind(JsonNode node) {
        if (node == null || node.isNull()) {
            return "null";
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isObject()) {
            return "an object";
        }
        if (node.isTextual()) {
            return "a string";
        }
        if (node.isNumber()) {
            return "a number";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
