package io.agentgateway.llm;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.agentgateway.server.Json;

import java.io.IOException;

/**
 * The length of the generated text in one passed-through stream event, for estimating the output
 * of a stream cut short before its provider reported usage. One streaming pass, no tree.
 * Stateless.
 */
public final class DeltaText {
    private DeltaText() {
    }

    /** The summed length of every string member named {@code a} or {@code b}, at any depth; 0 for an event that is not JSON. */
    public static int length(String json, String a, String b) {
        int n = 0;
        try (JsonParser p = Json.factory().createParser(json)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    if ((name.equals(a) || name.equals(b)) && p.nextToken() == JsonToken.VALUE_STRING) {
                        n += p.getTextLength();
                    }
                }
            }
        } catch (IOException e) {
            return n;
        }
        return n;
    }
}
