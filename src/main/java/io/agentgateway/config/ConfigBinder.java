package io.agentgateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Binds a YAML tree onto the config records, collecting every error with its key path instead of
 * stopping at the first. Keys are the snake_case form of record component names. Unknown keys,
 * wrong types and missing {@link Required} keys are errors; a record whose compact constructor
 * rejects its values reports the constructor's message at the record's path.
 *
 * <p>Stateless apart from the error list of one call; not thread-safe per instance.
 */
final class ConfigBinder {
    private final List<ConfigError> errors = new ArrayList<>();
    private int unknownKeys;

    /** True when every error found is an unknown key: the records are complete and can be cross-checked. */
    boolean onlyUnknownKeys() {
        return fatal() == 0;
    }

    /** Errors that left a value unbound (everything but unknown keys). */
    private int fatal() {
        return errors.size() - unknownKeys;
    }

    List<ConfigError> errors() {
        return errors;
    }

    <T> T bindRoot(JsonNode root, Class<T> type) {
        return type.cast(bind(root, type, ""));
    }

    private Object bind(JsonNode node, Type type, String path) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            if (raw == List.class) {
                return bindList(node, p.getActualTypeArguments()[0], path);
            }
            if (raw == Map.class) {
                return bindMap(node, p.getActualTypeArguments()[1], path);
            }
            throw new IllegalStateException("unsupported config type " + type);
        }
        Class<?> c = (Class<?>) type;
        // DataSize is a record but written as one scalar (32MiB)
        if (c.isRecord() && c != DataSize.class) {
            if (!node.isObject()) {
                return error(path, "must be a mapping (key: value), not " + describe(node));
            }
            return bindRecord((ObjectNode) node, c, path, null);
        }
        return bindScalar(node, c, path);
    }

    private List<Object> bindList(JsonNode node, Type element, String path) {
        if (!node.isArray()) {
            error(path, "must be a list, not " + describe(node));
            return null;
        }
        List<Object> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            String at = path + "[" + i + "]";
            JsonNode item = node.get(i);
            if (item.isNull()) {
                error(at, "must not be empty");
                continue;
            }
            Object v = bind(item, element, at);
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }

    private Map<String, Object> bindMap(JsonNode node, Type value, String path) {
        if (!node.isObject()) {
            error(path, "must be a mapping (key: value), not " + describe(node));
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isNull()) {
                // dropping it silently would leave out, say, a header the user believes is sent
                error(child(path, e.getKey()), "must not be empty (write \"\" for an empty value)");
                continue;
            }
            Object v = bind(e.getValue(), value, child(path, e.getKey()));
            if (v != null) {
                out.put(e.getKey(), v);
            }
        }
        return out;
    }

    /**
     * @param consumed when binding an {@link Inline} record, collects the keys it used so the
     *                 enclosing record does not report them as unknown; null at top level
     */
    private Object bindRecord(ObjectNode node, Class<?> type, String path, Set<String> consumed) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] args = new Object[components.length];
        boolean[] present = new boolean[components.length];
        Set<String> known = new LinkedHashSet<>();
        boolean ok = true;
        boolean anyPresent = false;
        for (int i = 0; i < components.length; i++) {
            RecordComponent rc = components[i];
            if (rc.isAnnotationPresent(Inline.class)) {
                Set<String> inlineKeys = new LinkedHashSet<>();
                int before = fatal();
                args[i] = bindInline(node, rc.getType(), path, inlineKeys);
                ok &= fatal() == before;
                known.addAll(inlineKeys);
                continue;
            }
            String key = snake(rc.getName());
            known.add(key);
            JsonNode value = node.get(key);
            present[i] = value != null && !value.isNull();
            anyPresent |= present[i];
            if (!present[i]) {
                if (rc.isAnnotationPresent(Required.class) && consumed == null) {
                    error(child(path, key), "is required");
                    ok = false;
                }
                continue;
            }
            int before = fatal();
            args[i] = bind(value, rc.getGenericType(), child(path, key));
            ok &= fatal() == before;
        }
        if (consumed != null) {
            consumed.addAll(known);
            if (!anyPresent) {
                return null;
            }
            for (int i = 0; i < components.length; i++) {
                RecordComponent rc = components[i];
                if (!present[i] && rc.isAnnotationPresent(Required.class)) {
                    error(child(path, snake(rc.getName())), "is required");
                    ok = false;
                }
            }
        } else {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!known.contains(key)) {
                    // Reported, but the record is still built, so the cross-field checks can run and
                    // a typo does not hide every other mistake in the file.
                    errors.add(new ConfigError(child(path, key), "unknown key" + suggestion(key, known)));
                    unknownKeys++;
                }
            }
        }
        if (!ok) {
            return null;
        }
        return construct(type, components, args, path);
    }

    private Object bindInline(ObjectNode node, Class<?> type, String path, Set<String> keys) {
        return bindRecord(node, type, path, keys);
    }

    private Object construct(Class<?> type, RecordComponent[] components, Object[] args, String path) {
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
        }
        try {
            Constructor<?> ctor = type.getDeclaredConstructor(types);
            return ctor.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException || cause instanceof NullPointerException) {
                return error(path, String.valueOf(cause.getMessage()));
            }
            throw new IllegalStateException("cannot build " + type.getSimpleName(), cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
        }
    }

    private Object bindScalar(JsonNode node, Class<?> c, String path) {
        if (node.isContainerNode()) {
            return error(path, "must be a single value, not " + describe(node));
        }
        String text = node.asText();
        if (c == String.class) {
            return text;
        }
        if (c == Secret.class) {
            return Secret.of(text);
        }
        if (c == Integer.class || c == int.class) {
            Long l = integer(node, path);
            if (l == null) {
                return null;
            }
            if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
                return error(path, quote(node) + " is out of range");
            }
            return l.intValue();
        }
        if (c == Long.class || c == long.class) {
            return integer(node, path);
        }
        if (c == Number.class) {
            // A whole number stays a Long; a decimal (a limit in USD) is kept exact.
            if (node.isIntegralNumber() && node.canConvertToLong()) {
                return node.asLong();
            }
            try {
                String digits = text.trim();
                return digits.matches("[-+]?\\d+") ? Long.valueOf(digits) : new java.math.BigDecimal(digits);
            } catch (NumberFormatException e) {
                return error(path, quote(node) + " is not a whole number");
            }
        }
        if (c == Double.class || c == double.class) {
            if (node.isNumber()) {
                return node.asDouble();
            }
            try {
                return Double.parseDouble(text.trim());
            } catch (NumberFormatException e) {
                return error(path, quote(node) + " is not a number");
            }
        }
        if (c == Boolean.class || c == boolean.class) {
            if (node.isBoolean()) {
                return node.asBoolean();
            }
            if (text.equals("true") || text.equals("false")) {
                return Boolean.parseBoolean(text);
            }
            return error(path, quote(node) + " is not true or false");
        }
        if (c == Duration.class) {
            if (!node.isTextual()) {
                return error(path, quote(node) + " is not a duration (write a unit: 500ms, 30s, 5m, 24h, 7d)");
            }
            try {
                return Durations.parse(text);
            } catch (IllegalArgumentException e) {
                return error(path, quote(node) + " " + e.getMessage());
            }
        }
        if (c == DataSize.class) {
            try {
                return DataSize.parse(text);
            } catch (IllegalArgumentException | ArithmeticException e) {
                return error(path, quote(node) + " is not a size (like 512KiB, 32MiB or 1048576)");
            }
        }
        if (c.isEnum()) {
            return enumValue(node, c, path);
        }
        throw new IllegalStateException("unsupported config type " + c);
    }

    private Long integer(JsonNode node, String path) {
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.asLong();
        }
        if (node.isTextual()) {
            try {
                return Long.parseLong(node.asText().trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        error(path, quote(node) + " is not a whole number");
        return null;
    }

    private Object enumValue(JsonNode node, Class<?> c, String path) {
        String wanted = normalise(node.asText());
        List<String> allowed = new ArrayList<>();
        for (Object constant : c.getEnumConstants()) {
            String name = ((Enum<?>) constant).name();
            if (normalise(name).equals(wanted)) {
                return constant;
            }
            allowed.add(wire(name));
        }
        return error(path, quote(node) + " is not one of " + String.join(", ", allowed));
    }

    /** The YAML spelling of an enum constant: lower case, except the protocols, written upper-case (examples/seed.yaml). */
    static String wire(String constantName) {
        return switch (constantName) {
            case "HTTP", "MCP", "A2A" -> constantName;
            case "HTTP_PROTOBUF" -> "http/protobuf";
            default -> constantName.toLowerCase(Locale.ROOT);
        };
    }

    private static String normalise(String s) {
        return s.trim().toLowerCase(Locale.ROOT).replace('-', '_').replace('/', '_');
    }

    static String snake(String camel) {
        StringBuilder out = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++) {
            char ch = camel.charAt(i);
            if (Character.isUpperCase(ch)) {
                out.append('_').append(Character.toLowerCase(ch));
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String quote(JsonNode node) {
        return node.isTextual() ? "\"" + node.asText() + "\"" : node.asText();
    }

    private static String describe(JsonNode node) {
        if (node.isArray()) {
            return "a list";
        }
        if (node.isObject()) {
            return "a mapping";
        }
        return quote(node);
    }

    private static String suggestion(String key, Set<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(key, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        if (best != null && bestDistance <= Math.max(2, key.length() / 3)) {
            return " (did you mean " + best + "?)";
        }
        return " (known keys: " + String.join(", ", known) + ")";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private Object error(String path, String message) {
        errors.add(new ConfigError(path, message));
        return null;
    }
}
