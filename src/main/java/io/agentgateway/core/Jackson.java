package io.agentgateway.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The gateway's one Jackson mapper and factory, for every JSON it reads or writes (wire bodies,
 * audit events, the Kubernetes and Elasticsearch APIs), here at the bottom of the package graph
 * so every package, {@code kube} included, shares it. Every parser it makes holds the read
 * {@link #LIMITS}: nesting deeper than {@link #MAX_NESTING_DEPTH}, a number longer than
 * {@link #MAX_NUMBER_LENGTH} digits, a string longer than {@link #MAX_STRING_LENGTH} characters or
 * a member name longer than {@link #MAX_NAME_LENGTH} is refused while tokenizing, before anything
 * is built from it. Unknown properties are ignored when binding. Readers that need another
 * setting derive an {@link ObjectReader} from {@link #MAPPER} ({@link #EXACT}) rather than build a
 * mapper of their own. Immutable and thread-safe.
 */
public final class Jackson {
    /** Deepest nesting of arrays and objects accepted (MCP tool schemas nest; nothing real nests 500 deep). */
    public static final int MAX_NESTING_DEPTH = 500;
    /** Longest number accepted, in characters: past it, converting the digits costs quadratic time. */
    public static final int MAX_NUMBER_LENGTH = 1_000;
    /** Longest string accepted, in characters: a base64 image or document fits; the body limit is usually tighter. */
    public static final int MAX_STRING_LENGTH = 64 * 1024 * 1024;
    /** Longest object member name accepted, in characters. */
    public static final int MAX_NAME_LENGTH = 50_000;

    /** The read limits of every gateway JSON parser. */
    public static final StreamReadConstraints LIMITS = StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .maxNumberLength(MAX_NUMBER_LENGTH)
            .maxStringLength(MAX_STRING_LENGTH)
            .maxNameLength(MAX_NAME_LENGTH)
            .build();

    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder().streamReadConstraints(LIMITS).build())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** {@link #MAPPER}'s factory: for streaming parsers and generators (which can then read and write trees). */
    public static final JsonFactory FACTORY = MAPPER.getFactory();

    /**
     * Reads numbers exactly (floats as {@code BigDecimal}, integers as {@code BigInteger}), so a
     * message rewritten and written again keeps every value: for JSON-RPC relayed by MCP.
     */
    public static final ObjectReader EXACT = MAPPER.reader()
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .with(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

    private Jackson() {
    }
}
