package io.agentgateway.it;

import io.agentgateway.testing.McpClients;
import io.agentgateway.testing.McpHttpServer;
import io.agentgateway.testing.McpTools;
import io.agentgateway.testing.McpWire;
import io.agentgateway.testing.TestGateway;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tool-level authorization per namespace (API-key identities): tools/list shows only what the
 * caller may call, any other call is refused before the upstream sees it; sessions are bound to
 * their caller; unauthenticated callers are pointed at the protected resource metadata; every
 * message is counted in agentgateway_mcp_requests_total.
 */
class McpPolicyIT {
    static McpHttpServer filesystem;
    static TestGateway gateway;

    @BeforeAll
    static void start() {
        filesystem = McpHttpServer.streamable("filesystem-server");
        gateway = TestGateway.start(TestGateway.MCP_LISTENER + """
                mcp:
                  servers:
                    - {name: filesystem-server, transport: streamable_http, url: "%s"}
                security:
                  authentication:
                    type: api_key
                    keys:
                      - {name: readers, key_secret: reader-key, namespace: readers, service_account: agent}
                      - {name: dev, key_secret: dev-key, namespace: dev-team}
                authorization:
                  policies:
                    - name: read-only
                      match: {kubernetes: {namespace: readers}}
                      resources: ["mcp:filesystem-server/read_file"]
                      action: allow
                    - name: dev-all
                      match: {kubernetes: {namespace: dev-team}}
                      resources: ["mcp:filesystem-server/*"]
                      action: allow
                """.formatted(filesystem.url()), Map.of("READER_KEY", "reader-secret", "DEV_KEY", "dev-secret"), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        filesystem.close();
    }

    static McpSyncClient client(String endpoint, String key) {
        McpSyncClient c = McpClients.streamable(gateway.url("mcp"), endpoint, key).build();
        c.initialize();
        return c;
    }

    @Test
    void aNamespaceAllowedOnlyReadFileSeesOneToolAndIsRefusedWriteFile() {
        int writesBefore = McpTools.calls("filesystem-server", "write_file");
        try (McpSyncClient c = client("/mcp/filesystem-server", "reader-secret")) {
            assertThat(c.listTools().tools()).extracting(McpSchema.Tool::name).containsExactly("read_file");
            assertThat(((McpSchema.TextContent) c.callTool(McpSchema.CallToolRequest.builder("read_file").arguments(Map.of("path", "/r")).build())
                    .content().get(0)).text()).isEqualTo("filesystem-server read /r");
            assertThatThrownBy(() -> c.callTool(McpSchema.CallToolRequest.builder("write_file").arguments(Map.of("path", "/w")).build()))
                    .isInstanceOfSatisfying(McpError.class, e -> {
                        assertThat(e.getJsonRpcError().code()).isEqualTo(-32003);
                        assertThat(e.getJsonRpcError().message()).contains("readers").contains("mcp:filesystem-server/write_file");
                    });
        }
        assertThat(McpTools.calls("filesystem-server", "write_file")).isEqualTo(writesBefore);
    }

    @Test
    void federatedListIsFilteredTheSameWay() {
        try (McpSyncClient c = client("/mcp", "reader-secret")) {
            assertThat(c.listTools().tools()).extracting(McpSchema.Tool::name).containsExactly("filesystem-server__read_file");
            assertThatThrownBy(() -> c.callTool(McpSchema.CallToolRequest.builder("filesystem-server__write_file").arguments(Map.of()).build()))
                    .isInstanceOfSatisfying(McpError.class, e -> assertThat(e.getJsonRpcError().code()).isEqualTo(-32003));
        }
    }

    @Test
    void anotherNamespaceSeesEveryTool() {
        try (McpSyncClient c = client("/mcp/filesystem-server", "dev-secret")) {
            assertThat(c.listTools().tools()).extracting(McpSchema.Tool::name).contains("read_file", "write_file", "sleep");
        }
    }

    @Test
    void resourceTemplatesAreFilteredLikeEveryOtherList() {
        try (McpSyncClient reader = client("/mcp/filesystem-server", "reader-secret");
             McpSyncClient dev = client("/mcp/filesystem-server", "dev-secret")) {
            assertThat(reader.listResourceTemplates().resourceTemplates()).isEmpty();
            assertThat(dev.listResourceTemplates().resourceTemplates()).extracting(McpSchema.ResourceTemplate::uriTemplate)
                    .containsExactly("file:///notes/{name}");
        }
        try (McpSyncClient reader = client("/mcp", "reader-secret"); McpSyncClient dev = client("/mcp", "dev-secret")) {
            assertThat(reader.listResourceTemplates().resourceTemplates()).isEmpty();
            assertThat(dev.listResourceTemplates().resourceTemplates()).extracting(McpSchema.ResourceTemplate::uriTemplate)
                    .containsExactly("filesystem-server__file:///notes/{name}");
        }
    }

    @Test
    void onTheFederatedEndpointAReadResourceIsNamedAsItWasAskedFor() {
        try (McpSyncClient dev = client("/mcp", "dev-secret")) {
            McpSchema.ReadResourceResult r = dev.readResource(McpSchema.ReadResourceRequest.builder("filesystem-server__file:///readme.md").build());
            assertThat(r.contents()).extracting(McpSchema.ResourceContents::uri).containsExactly("filesystem-server__file:///readme.md");
            assertThat(((McpSchema.TextResourceContents) r.contents().get(0)).text()).isEqualTo("filesystem-server readme");
        }
    }

    @Test
    void aSessionCannotBeUsedByAnotherCaller() {
        String url = gateway.url("mcp") + "/mcp/filesystem-server";
        String session = McpWire.open(url, "dev-secret");
        McpWire.Answer stolen = McpWire.post(url, "reader-secret", session, McpWire.callTool(2, "read_file", "{}"));
        assertThat(stolen.status()).isEqualTo(404);
        McpWire.Answer own = McpWire.post(url, "dev-secret", session, McpWire.callTool(3, "read_file", "{\"path\":\"/o\"}"));
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.json().at("/result/content/0/text").asText()).isEqualTo("filesystem-server read /o");
    }

    @Test
    void unauthenticatedCallersArePointedAtTheProtectedResourceMetadata() {
        String base = gateway.url("mcp");
        McpWire.Answer a = McpWire.post(base + "/mcp/filesystem-server", null, null, McpWire.initialize(1));
        assertThat(a.status()).isEqualTo(401);
        String metadata = base + "/.well-known/oauth-protected-resource/mcp/filesystem-server";
        assertThat(a.headers().firstValue("www-authenticate")).hasValue("Bearer resource_metadata=\"" + metadata + "\"");
        assertThat(a.json().at("/error/code").asInt()).isEqualTo(-32001);

        McpWire.Answer m = McpWire.send(HttpRequest.newBuilder(URI.create(metadata)).GET(), null, null);
        assertThat(m.status()).isEqualTo(200);
        assertThat(m.json().get("resource").asText()).isEqualTo(base + "/mcp/filesystem-server");
        assertThat(m.json().get("bearer_methods_supported").get(0).asText()).isEqualTo("header");
        McpWire.Answer all = McpWire.send(HttpRequest.newBuilder(URI.create(base + "/.well-known/oauth-protected-resource/mcp")).GET(), null, null);
        assertThat(all.json().get("resource").asText()).isEqualTo(base + "/mcp");
        McpWire.Answer unknown = McpWire.send(HttpRequest.newBuilder(URI.create(base + "/.well-known/oauth-protected-resource/mcp/nope")).GET(), null, null);
        assertThat(unknown.status()).isEqualTo(404);
    }

    @Test
    void everyToolCallIsCountedWithServerMethodToolAndNamespace() {
        try (McpSyncClient c = client("/mcp/filesystem-server", "dev-secret")) {
            c.callTool(McpSchema.CallToolRequest.builder("read_file").arguments(Map.of("path", "/m")).build());
            assertThatThrownBy(() -> c.callTool(McpSchema.CallToolRequest.builder("made_up_tool_" + System.nanoTime()).arguments(Map.of()).build()));
        }
        String metrics = McpWire.send(HttpRequest.newBuilder(URI.create(gateway.adminUrl() + "/metrics")).GET(), null, null).body();
        assertThat(metrics).containsPattern("agentgateway_mcp_requests_total\\{method=\"tools/call\",namespace=\"dev-team\","
                + "server=\"filesystem-server\",tool=\"read_file\"} [1-9]");
        assertThat(metrics).contains("method=\"tools/call\",namespace=\"dev-team\",server=\"filesystem-server\",tool=\"other\"");
        assertThat(metrics).doesNotContain("made_up_tool_");
    }
}
