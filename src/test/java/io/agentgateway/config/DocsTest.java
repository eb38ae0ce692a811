package io.agentgateway.config;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/configuration.md documents every key the records accept, and its examples load. */
class DocsTest {
    private static String docs;

    @BeforeAll
    static void read() throws IOException {
        docs = Files.readString(Path.of("docs/configuration.md"));
    }

    /** A value key needs a table row; a mapping (a section) may have a row or a heading. */
    @Test
    void everyKeyIsDocumentedWithItsFullPath() {
        List<String> values = new ArrayList<>();
        List<String> sections = new ArrayList<>();
        keys(GatewayConfig.class, "", values, sections);
        assertThat(values).hasSizeGreaterThan(100);
        assertThat(values).filteredOn(k -> !docs.contains("| `" + k + "` |") && !docs.contains("## `" + k + "`"))
                .as("keys with no row in docs/configuration.md").isEmpty();
        assertThat(sections).filteredOn(k -> !docs.contains("`" + k + "`"))
                .as("sections not named in docs/configuration.md").isEmpty();
    }

    @Test
    void everyDocumentedKeyExists() {
        List<String> keys = new ArrayList<>();
        keys(GatewayConfig.class, "", keys, keys);
        Matcher m = Pattern.compile("(?m)^\\| `([a-z_.\\[\\]]+)` \\|").matcher(docs);
        List<String> documented = new ArrayList<>();
        while (m.find()) {
            documented.add(m.group(1));
        }
        assertThat(documented).hasSizeGreaterThan(100);
        assertThat(documented).filteredOn(k -> k.contains(".") || k.contains("[") || k.equals("secrets_dir"))
                .filteredOn(k -> !keys.contains(k)).as("rows for keys the records do not accept").isEmpty();
    }

    @Test
    void everyYamlExampleLoads() {
        Matcher m = Pattern.compile("(?s)```yaml\\n(.*?)```").matcher(docs);
        int blocks = 0;
        while (m.find()) {
            blocks++;
            String yaml = m.group(1);
            String full = yaml.startsWith("listeners:") ? yaml : Configs.LISTENER + yaml;
            try {
                Configs.load(full, Map.of());
            } catch (ConfigException e) {
                throw new AssertionError("example does not load:\n" + yaml + "\n" + e.getMessage(), e);
            }
        }
        assertThat(blocks).isGreaterThanOrEqualTo(8);
    }

    /**
     * Key paths as the docs write them: list elements as {@code []}; the inline single-method
     * authentication keys are documented once, under {@code methods[]}. Keys whose value is a
     * mapping go to {@code sections}, all others to {@code values}.
     */
    private static void keys(Class<?> record, String path, List<String> values, List<String> sections) {
        for (RecordComponent rc : record.getRecordComponents()) {
            if (rc.isAnnotationPresent(Inline.class)) {
                continue;
            }
            String key = (path.isEmpty() ? "" : path + ".") + ConfigBinder.snake(rc.getName());
            Type t = rc.getGenericType();
            if (t instanceof Class<?> c && c.isRecord() && c != DataSize.class) {
                sections.add(key);
                keys(c, key, values, sections);
                continue;
            }
            values.add(key);
            if (t instanceof ParameterizedType p && p.getRawType() == List.class
                    && p.getActualTypeArguments()[0] instanceof Class<?> c && c.isRecord()) {
                keys(c, key + "[]", values, sections);
            }
        }
    }
}
