package io.agentgateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Replaces {@code ${VAR}} and {@code ${VAR:-default}} in every string value of a YAML tree from an
 * environment; {@code $${} is a literal {@code ${}. A variable that is unset and has no default is an
 * error at the value's path. Values are never echoed into errors (they may be secrets).
 */
final class EnvInterpolator {
    private final Function<String, String> env;
    private final List<ConfigError> errors;

    EnvInterpolator(Function<String, String> env, List<ConfigError> errors) {
        this.env = env;
        this.errors = errors;
    }

    void apply(JsonNode node, String path) {
        if (node instanceof ObjectNode obj) {
            for (Iterator<Map.Entry<String, JsonNode>> it = obj.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String at = ConfigBinder.child(path, e.getKey());
                if (e.getValue().isTextual()) {
                    String v = e.getValue().asText();
                    if (v.indexOf('$') >= 0) {
                        e.setValue(TextNode.valueOf(interpolate(v, at)));
                    }
                } else {
                    apply(e.getValue(), at);
                }
            }
        } else if (node instanceof ArrayNode arr) {
            for (int i = 0; i < arr.size(); i++) {
                String at = path + "[" + i + "]";
                JsonNode item = arr.get(i);
                if (item.isTextual() && item.asText().indexOf('$') >= 0) {
                    arr.set(i, TextNode.valueOf(interpolate(item.asText(), at)));
                } else {
                    apply(item, at);
                }
            }
        }
    }

    String interpolate(String s, String path) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '$' && s.startsWith("$${", i)) {
                out.append("${");
                i += 3;
                continue;
            }
            if (c == '$' && s.startsWith("${", i)) {
                int end = s.indexOf('}', i + 2);
                if (end < 0) {
                    errors.add(new ConfigError(path, "has an unclosed ${ (write $${ for a literal)"));
                    return s;
                }
                String expr = s.substring(i + 2, end);
                int sep = expr.indexOf(":-");
                String name = sep >= 0 ? expr.substring(0, sep) : expr;
                if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    // the name only: a default after ":-" may be a literal credential
                    errors.add(new ConfigError(path, "\"" + name + "\" is not a valid environment variable name"));
                    return s;
                }
                String value = env.apply(name);
                if (value == null || (value.isEmpty() && sep >= 0)) {
                    if (sep < 0) {
                        errors.add(new ConfigError(path, "environment variable " + name + " is not set"));
                        return s;
                    }
                    value = expr.substring(sep + 2);
                }
                out.append(value);
                i = end + 1;
                continue;
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }
}
