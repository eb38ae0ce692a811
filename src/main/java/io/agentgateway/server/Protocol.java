package io.agentgateway.server;

/** The kinds of traffic the gateway governs; {@link #wire()} is the name in metrics and audit. */
public enum Protocol {
    LLM("llm"), MCP("mcp"), A2A("a2a");

    private final String wire;

    Protocol(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
