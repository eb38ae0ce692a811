package io.agentgateway.runtime;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.agentgateway.config.ApiKeyConfig;
import io.agentgateway.config.DataSize;
import io.agentgateway.config.Durations;
import io.agentgateway.config.GatewayConfig;
import io.agentgateway.config.Secret;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Locale;

/**
 * The effective config as JSON for {@code GET /api/config}: every key with its default filled in,
 * in the YAML's spelling. Redaction is by type: every {@link Secret} renders as {@code "****"}
 * whatever key it sits under, and so does an API key's {@code key_hash}; names of secrets (not
 * values) are shown as they are.
 */
final class ConfigJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .addMixIn(ApiKeyConfig.class, RedactedKeyHash.class)
            .addModule(new SimpleModule()
                    .addSerializer(Secret.class, new StdSerializer<>(Secret.class) {
                        @Override
                        public void serialize(Secret value, JsonGenerator g, SerializerProvider p) throws IOException {
                            g.writeString("****");
                        }
                    })
                    .addSerializer(Duration.class, new StdSerializer<>(Duration.class) {
                        @Override
                        public void serialize(Duration value, JsonGenerator g, SerializerProvider p) throws IOException {
                            g.writeString(Durations.format(value));
                        }
                    })
                    .addSerializer(DataSize.class, new StdSerializer<>(DataSize.class) {
                        @Override
                        public void serialize(DataSize value, JsonGenerator g, SerializerProvider p) throws IOException {
                            g.writeString(value.toString());
                        }
                    })
                    .addSerializer(Enum.class, new StdSerializer<>(Enum.class) {
                        // Jackson keys serializers by class, and Enum.class is the raw type.
                        @Override
                        @SuppressWarnings("rawtypes")
                        public void serialize(Enum value, JsonGenerator g, SerializerProvider p) throws IOException {
                            String name = value.name();
                            g.writeString(switch (name) {
                                case "HTTP", "MCP", "A2A" -> name;
                                case "HTTP_PROTOBUF" -> "http/protobuf";
                                default -> name.toLowerCase(Locale.ROOT);
                            });
                        }
                    }))
            .build();

    private ConfigJson() {
    }

    /** A key's digest is as good as the key for a brute-force guess of a short key: never shown. */
    private abstract static class RedactedKeyHash {
        @JsonSerialize(using = Redacted.class)
        abstract String keyHash();
    }

    private static final class Redacted extends StdSerializer<Object> {
        Redacted() {
            super(Object.class);
        }

        @Override
        public void serialize(Object value, JsonGenerator g, SerializerProvider p) throws IOException {
            g.writeString("****");
        }
    }

    static String render(GatewayConfig config) {
        try {
            return MAPPER.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
