package io.agentgateway.mcp;

import io.agentgateway.config.ConfigLoader;
import io.agentgateway.config.GatewayConfig;
import io.agentgateway.config.McpServerConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** examples/mcp.yaml loads as written. */
class McpExampleTest {
    @Test
    void theMcpExampleLoads() throws Exception {
        GatewayConfig config = new ConfigLoader(name -> null).load(Path.of("examples/mcp.yaml"));
        assertThat(config.mcp().servers()).extracting(McpServerConfig::transport).containsExactly(
                McpServerConfig.Transport.STREAMABLE_HTTP, McpServerConfig.Transport.SSE, McpServerConfig.Transport.STDIO);
        assertThat(config.mcp().sessionKeySecret()).isEqualTo("mcp-session-key");
    }
}
