package io.agentgateway.llm.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentgateway.server.GatewayError;

import java.util.Locale;
import java.util.Set;

/**
 * OpenAI media content parts as Anthropic blocks: {@code image_url} with a {@code data:} URL as a
 * base64 image source, with an http(s) URL as a url source (Anthropic fetches it); a
 * {@code file} part carrying a base64 PDF as a {@code document} block. Stateless.
 */
final class AnthropicMedia {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** The image types Anthropic accepts. */
    private static final Set<String> IMAGE_TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/webp");

    private AnthropicMedia() {
    }

    static ObjectNode image(JsonNode url, String param) {
        if (url == null || !url.isTextual() || url.asText().isEmpty()) {
            throw GatewayError.invalid(param + " is required and must be a string", param);
        }
        String value = url.asText();
        ObjectNode source = NODES.objectNode();
        if (value.regionMatches(true, 0, "data:", 0, 5)) {
            DataUrl data = DataUrl.parse(value, param);
            String mediaType = data.mediaType.equals("image/jpg") ? "image/jpeg" : data.mediaType;
            if (!IMAGE_TYPES.contains(mediaType)) {
                throw GatewayError.invalid(param + ": image type '" + data.mediaType
                        + "' is not supported for this model (image/jpeg, image/png, image/gif, image/webp are)", param);
            }
            source.put("type", "base64").put("media_type", mediaType).put("data", data.base64);
        } else if (value.regionMatches(true, 0, "https://", 0, 8) || value.regionMatches(true, 0, "http://", 0, 7)) {
            source.put("type", "url").set("url", url);
        } else {
            throw GatewayError.invalid(param + " must be an http(s) URL or a base64 data: URL", param);
        }
        ObjectNode block = NODES.objectNode().put("type", "image");
        block.set("source", source);
        return block;
    }

    static ObjectNode document(JsonNode file, String param) {
        JsonNode fileData = file.get("file_data");
        if (fileData == null || !fileData.isTextual() || fileData.asText().isEmpty()) {
            throw GatewayError.invalid(param + ".file_data is required for this model (uploaded file_id references are not supported)",
                    param + ".file_data");
        }
        String value = fileData.asText();
        String mediaType = "application/pdf";
        String base64 = value;
        if (value.regionMatches(true, 0, "data:", 0, 5)) {
            DataUrl data = DataUrl.parse(value, param + ".file_data");
            mediaType = data.mediaType;
            base64 = data.base64;
        }
        if (!mediaType.equals("application/pdf")) {
            throw GatewayError.invalid(param + ".file_data: file type '" + mediaType
                    + "' is not supported for this model (application/pdf is)", param + ".file_data");
        }
        ObjectNode source = NODES.objectNode().put("type", "base64").put("media_type", mediaType).put("data", base64);
        ObjectNode block = NODES.objectNode().put("type", "document");
        block.set("source", source);
        JsonNode filename = file.get("filename");
        if (filename != null && filename.isTextual() && !filename.asText().isEmpty()) {
            block.set("title", filename);
        }
        return block;
    }

    /** {@code data:<media type>[;params];base64,<data>} */
    private record DataUrl(String mediaType, String base64) {
        static DataUrl parse(String url, String param) {
            int comma = url.indexOf(',');
            if (comma < 0) {
                throw GatewayError.invalid(param + " is not a valid data: URL (no comma before the data)", param);
            }
            String header = url.substring(5, comma);
            if (!header.toLowerCase(Locale.ROOT).endsWith(";base64")) {
                throw GatewayError.invalid(param + " must be a base64 data: URL (data:<type>;base64,...)", param);
            }
            int semicolon = header.indexOf(';');
            String mediaType = header.substring(0, semicolon).trim().toLowerCase(Locale.ROOT);
            if (mediaType.isEmpty()) {
                throw GatewayError.invalid(param + ": the data: URL names no media type", param);
            }
            return new DataUrl(mediaType, url.substring(comma + 1));
        }
    }
}
