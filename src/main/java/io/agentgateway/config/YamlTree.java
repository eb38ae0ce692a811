package io.agentgateway.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.events.ScalarEvent;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads a YAML document into a tree with anchors ({@code &name}), aliases ({@code *name}) and merge
 * keys ({@code <<: *name}, {@code <<: [*a, *b]}) resolved, as YAML 1.1 loaders do: Jackson's own
 * tree reader hands an alias over as a string holding its name. Every use of an alias gets its own
 * copy of the anchored value, so binding errors and {@code ${VAR}} errors name the key path where
 * the value is used. Merged keys never override keys the mapping states itself; of several merged
 * mappings, the first that has a key wins. Scalars are read exactly as Jackson's tree reader reads
 * them. The expanded tree is bounded ({@link #MAX_VALUES}), so an alias "billion laughs" cannot
 * exhaust memory.
 *
 * <p>One per document; not thread-safe.
 */
final class YamlTree {
    /** Values the expanded document may hold (a generous config has a few thousand). */
    static final int MAX_VALUES = 1_000_000;
    private static final String MERGE = "<<";

    private final YAMLParser parser;
    private final JsonNodeFactory nodes = JsonNodeFactory.instance;
    private final Map<String, JsonNode> anchors = new HashMap<>();
    private int values;

    private YamlTree(YAMLParser parser) {
        this.parser = parser;
    }

    /** A YAML factory whose parsers also report the anchors of scalar values. */
    static YAMLFactory factory() {
        return new AnchoredFactory();
    }

    private static final class AnchoredFactory extends YAMLFactory {
        @Override
        protected YAMLParser _createParser(Reader r, IOContext ctxt) {
            return new AnchoredParser(ctxt, _parserFeatures, _yamlParserFeatures, _loaderOptions, _objectCodec, r);
        }
    }

    /**
     * Jackson's YAML parser reports the anchor of a mapping or a sequence but forgets the anchor
     * of a scalar value ({@code port: &port 8080}); the event it just read still has it.
     */
    private static final class AnchoredParser extends YAMLParser {
        AnchoredParser(IOContext ctxt, int features, int yamlFeatures, LoaderOptions options, ObjectCodec codec, Reader r) {
            super(ctxt, features, yamlFeatures, options, codec, r);
        }

        String scalarAnchor() {
            return _lastEvent instanceof ScalarEvent s ? s.getAnchor() : null;
        }
    }

    /** The document's root, or null when it is empty. */
    static JsonNode read(YAMLParser parser) throws IOException, ConfigException {
        if (parser.nextToken() == null) {
            return null;
        }
        return new YamlTree(parser).value("");
    }

    private JsonNode value(String path) throws IOException, ConfigException {
        if (parser.isCurrentAlias()) {
            String name = parser.getText();
            JsonNode anchored = anchors.get(name);
            if (anchored == null) {
                throw new ConfigException(path, "alias *" + name + " names no anchor defined before it (line "
                        + parser.currentLocation().getLineNr() + ")");
            }
            count(size(anchored), path);
            return anchored.deepCopy();
        }
        Object anchor = parser.getObjectId();
        if (anchor == null && parser instanceof AnchoredParser a) {
            anchor = a.scalarAnchor();
        }
        JsonNode node = switch (parser.currentToken()) {
            case START_OBJECT -> mapping(path);
            case START_ARRAY -> sequence(path);
            default -> scalar();
        };
        count(1, path);
        if (anchor != null) {
            anchors.put(anchor.toString(), node);
        }
        return node;
    }

    private ObjectNode mapping(String path) throws IOException, ConfigException {
        ObjectNode out = nodes.objectNode();
        List<JsonNode> merged = new ArrayList<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            parser.nextToken();
            String at = ConfigBinder.child(path, key);
            JsonNode v = value(at);
            if (MERGE.equals(key)) {
                if (v.isObject()) {
                    merged.add(v);
                } else if (v.isArray() && allObjects(v)) {
                    v.forEach(merged::add);
                } else {
                    throw new ConfigException(at, "a merge key (<<) takes a mapping or a list of mappings, not " + describe(v));
                }
            } else {
                out.set(key, v);
            }
        }
        for (JsonNode m : merged) {
            for (Iterator<Map.Entry<String, JsonNode>> it = m.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!out.has(e.getKey())) {
                    out.set(e.getKey(), e.getValue());
                }
            }
        }
        return out;
    }

    private ArrayNode sequence(String path) throws IOException, ConfigException {
        ArrayNode out = nodes.arrayNode();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            out.add(value(path + "[" + out.size() + "]"));
        }
        return out;
    }

    private JsonNode scalar() throws IOException {
        return switch (parser.currentToken()) {
            case VALUE_STRING -> nodes.textNode(parser.getText());
            case VALUE_TRUE -> nodes.booleanNode(true);
            case VALUE_FALSE -> nodes.booleanNode(false);
            case VALUE_NULL -> nodes.nullNode();
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> nodes.numberNode(parser.getIntValue());
                case LONG -> nodes.numberNode(parser.getLongValue());
                default -> nodes.numberNode(parser.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> nodes.numberNode(parser.getDoubleValue());
            case VALUE_EMBEDDED_OBJECT -> {
                Object o = parser.getEmbeddedObject();
                yield o instanceof byte[] b ? nodes.binaryNode(b) : nodes.pojoNode(o);
            }
            default -> throw new IllegalStateException("unexpected YAML token " + parser.currentToken());
        };
    }

    private void count(int n, String path) throws ConfigException {
        values += n;
        if (values > MAX_VALUES) {
            throw new ConfigException(path, "the config expands to more than " + MAX_VALUES
                    + " values through its aliases; share less by alias");
        }
    }

    private static int size(JsonNode node) {
        int n = 1;
        for (JsonNode child : node) {
            n += size(child);
        }
        return n;
    }

    private static boolean allObjects(JsonNode array) {
        for (JsonNode item : array) {
            if (!item.isObject()) {
                return false;
            }
        }
        return true;
    }

    private static String describe(JsonNode v) {
        return v.isArray() ? "a list holding something other than mappings" : "a " + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
