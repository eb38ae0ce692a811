package io.agentgateway.policy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Parsing one concrete resource string (what {@code agentgateway check --resource} accepts). */
class ResourceTest {
    @ParameterizedTest
    @CsvSource({
            "model:gpt-4, model",
            "model:gpt-4o-2024-08-06, model",
            "mcp:filesystem-server/read_file, mcp",
            "mcp:github/repos/list, mcp",
            "agent:dev-team/code-assistant, agent"})
    void parsesAndRoundTrips(String id, String kind) {
        Resource r = Resource.parse(id);
        assertThat(r.id()).isEqualTo(id);
        assertThat(ConditionInput.kind(r)).isEqualTo(kind);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt-4", "model:", "model:gpt-*", "mcp:server", "mcp:/tool", "mcp:server/",
            "agent:dev-team", "agent:a/b/c", "agent:/x", "tool:x/y", "*", ""})
    void refusesWhatNamesNoSingleResource(String id) {
        assertThatThrownBy(() -> Resource.parse(id)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + id + "\"");
    }
}
