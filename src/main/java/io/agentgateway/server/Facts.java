package io.agentgateway.server;

/**
 * Every fact an exchange records, per protocol: the protocol packages write them, and metrics,
 * tracing and audit ({@code observe}) read them through these keys, which neither side could
 * do with the other's classes (the protocol packages and {@code observe} do not import each
 * other). A fact of one protocol cannot be written on another's exchange
 * ({@link Exchange#fact(Fact, Object)} refuses it). Spans and audit events show every recorded
 * fact under its {@link Fact#name()}.
 */
public final class Facts {
    /** The trace the exchange's span belongs to (set when tracing is on). */
    public static final Fact<String> TRACE_ID = Fact.common("trace_id", String.class);

    private Facts() {
    }

    /** What an LLM exchange records. */
    public static final class Llm {
        /** Whether the client asked for a streamed answer. */
        public static final Fact<Boolean> STREAM = Fact.of(Protocol.LLM, "stream", Boolean.class);
        /** The model the provider says answered. */
        public static final Fact<String> RESPONSE_MODEL = Fact.of(Protocol.LLM, "response_model", String.class);

        private Llm() {
        }
    }

    /** What an MCP exchange (one JSON-RPC message) records. */
    public static final class Mcp {
        /** The server the message went to ({@code *} for {@code /mcp} before one is chosen). */
        public static final Fact<String> SERVER = Fact.of(Protocol.MCP, "mcp.server", String.class);
        /** The JSON-RPC method, {@code response} for a client's answer, {@code stream} for a GET, {@code end} for DELETE. */
        public static final Fact<String> METHOD = Fact.of(Protocol.MCP, "mcp.method.name", String.class);
        /** The tool a {@code tools/call} names (without the {@code SERVER__} prefix). */
        public static final Fact<String> TOOL = Fact.of(Protocol.MCP, "gen_ai.tool.name", String.class);
        /** The JSON-RPC error code the server answered with. */
        public static final Fact<Integer> ERROR_CODE = Fact.of(Protocol.MCP, "mcp.error_code", Integer.class);
        /** The JSON-RPC id of the client's request. */
        public static final Fact<String> REQUEST_ID = Fact.of(Protocol.MCP, "jsonrpc.request.id", String.class);

        private Mcp() {
        }
    }

    /** What an A2A exchange records. */
    public static final class A2a {
        /** The JSON-RPC method as sent (cut at 100 characters), or the REST route's method. */
        public static final Fact<String> METHOD = Fact.of(Protocol.A2A, "a2a.method.name", String.class);
        public static final Fact<String> TASK_ID = Fact.of(Protocol.A2A, "a2a.task.id", String.class);
        public static final Fact<String> CONTEXT_ID = Fact.of(Protocol.A2A, "a2a.context.id", String.class);
        /** The last task state the agent reported ({@code completed}, {@code input-required}...), in A2A 0.3 spelling. */
        public static final Fact<String> TASK_STATE = Fact.of(Protocol.A2A, "a2a.task.state", String.class);
        /** The JSON-RPC error code the agent answered with. */
        public static final Fact<Integer> ERROR_CODE = Fact.of(Protocol.A2A, "a2a.error.code", Integer.class);
        /** The {@code a2a.authorization} rule that decided (also when the resource policies refused afterwards). */
        public static final Fact<String> RULE = Fact.of(Protocol.A2A, "a2a.rule", String.class);
        /** True when the answer was an event stream. */
        public static final Fact<Boolean> STREAM = Fact.of(Protocol.A2A, "a2a.stream", Boolean.class);
        public static final Fact<Integer> UPSTREAM_STATUS = Fact.of(Protocol.A2A, "upstream_status", Integer.class);
        /** Whether a card came from the cache ({@code hit}) or the agent ({@code miss}). */
        public static final Fact<String> CARD_CACHE = Fact.of(Protocol.A2A, "card_cache", String.class);

        private A2a() {
        }
    }
}
