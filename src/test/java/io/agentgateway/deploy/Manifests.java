package io.agentgateway.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;

/**
 * Kubernetes objects read from YAML files (multi-document), as Jackson trees, with the few
 * look-ups the deployment checks need. Immutable; the trees are copies the caller may change.
 */
final class Manifests {
    static final YAMLMapper YAML = new YAMLMapper();

    private final String source;
    private final List<ObjectNode> objects;

    private Manifests(String source, List<ObjectNode> objects) {
        this.source = source;
        this.objects = List.copyOf(objects);
    }

    /** Every object of the given files. */
    static Manifests read(Path... files) {
        List<ObjectNode> all = new ArrayList<>();
        for (Path file : files) {
            all.addAll(readAll(file));
        }
        return new Manifests(files.length == 1 ? files[0].toString() : List.of(files).toString(), all);
    }

    /** The objects a kustomization.yaml lists under {@code resources} (plain files only). */
    static Manifests kustomization(Path dir) {
        JsonNode k = readAll(dir.resolve("kustomization.yaml")).getFirst();
        List<ObjectNode> all = new ArrayList<>();
        k.path("resources").forEach(r -> all.addAll(readAll(dir.resolve(r.asText()))));
        return new Manifests(dir.toString(), all);
    }

    static List<ObjectNode> readAll(Path file) {
        try (var parser = YAML.createParser(Files.readString(file))) {
            return StreamSupport.stream(
                            ((Iterable<JsonNode>) () -> {
                                try {
                                    return YAML.readValues(parser, JsonNode.class);
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            }).spliterator(), false)
                    .filter(JsonNode::isObject)
                    .map(n -> (ObjectNode) n)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    /** A copy whose objects can be changed without touching this one (for drift tests). */
    Manifests copy() {
        return new Manifests(source, objects.stream().map(ObjectNode::deepCopy).toList());
    }

    String source() {
        return source;
    }

    List<ObjectNode> all(String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    Optional<ObjectNode> find(String kind, String name) {
        return all(kind).stream().filter(o -> name.equals(o.path("metadata").path("name").asText())).findFirst();
    }

    ObjectNode one(String kind) {
        List<ObjectNode> found = all(kind);
        if (found.size() != 1) {
            throw new AssertionError(source + ": expected one " + kind + ", found " + found.size());
        }
        return found.getFirst();
    }

    /** The object of {@code kind} whose metadata.name is {@code name}, or an AssertionError naming the source. */
    ObjectNode get(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError(source + ": no " + kind + " " + name));
    }

    /** True when every label of {@code selector} (a map) is in {@code labels}. */
    static boolean selects(JsonNode selector, JsonNode labels) {
        if (selector == null || !selector.isObject() || selector.isEmpty()) {
            return false;
        }
        for (Map.Entry<String, JsonNode> e : selector.properties()) {
            if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }
}
