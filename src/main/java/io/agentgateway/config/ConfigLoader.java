package io.agentgateway.config;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a config file into a {@link GatewayConfig}: YAML (anchors, aliases and merge keys resolved
 * by {@link YamlTree}), then {@code ${VAR}} interpolation, then
 * strict binding (every unknown key, wrong type and missing key reported with its path), then the
 * cross-field checks of {@link ConfigValidator}. Either everything is valid or a
 * {@link ConfigException} lists every error found.
 *
 * <p>Does blocking file I/O: call it from a worker thread, never an event loop. Thread-safe.
 */
public final class ConfigLoader {
    private static final YAMLMapper YAML = YAMLMapper.builder(YamlTree.factory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final Function<String, String> env;

    public ConfigLoader(Function<String, String> env) {
        this.env = env;
    }

    /** A loader reading {@code ${VAR}} from the process environment. */
    public static ConfigLoader fromEnvironment() {
        return new ConfigLoader(System::getenv);
    }

    public GatewayConfig load(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("", "config file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("", "cannot read config file " + file + ": " + e.getMessage());
        }
        return parse(text, file.getParent());
    }

    /**
     * @param baseDir directory relative file paths in the config are resolved against (null: the
     *                working directory)
     */
    public GatewayConfig parse(String yaml, Path baseDir) throws ConfigException {
        JsonNode root;
        try (YAMLParser parser = (YAMLParser) YAML.createParser(new StringReader(yaml))) {
            root = YamlTree.read(parser);
        } catch (JsonParseException e) {
            throw new ConfigException("", "not valid YAML at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new ConfigException("", "not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException("", "not valid YAML: " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new ConfigException("", "the config is empty (it needs at least listeners)");
        }
        if (!root.isObject()) {
            throw new ConfigException("", "the config must be a YAML mapping at the top level");
        }
        List<ConfigError> errors = new ArrayList<>();
        new EnvInterpolator(env, errors).apply(root, "");
        // A value whose ${VAR} could not be resolved keeps its raw text; checking that text again
        // would only report the same mistake a second time ("${PORT}" is not a whole number), so
        // later errors at those paths are dropped.
        Set<String> unresolved = new HashSet<>();
        errors.forEach(e -> unresolved.add(e.path()));
        ConfigBinder binder = new ConfigBinder();
        GatewayConfig config = binder.bindRoot(root, GatewayConfig.class);
        List<ConfigError> later = new ArrayList<>(binder.errors());
        if (config != null && binder.onlyUnknownKeys()) {
            later.addAll(new ConfigValidator(baseDir).validate(config));
        }
        later.stream().filter(e -> !unresolved.contains(e.path())).forEach(errors::add);
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return config;
    }
}
