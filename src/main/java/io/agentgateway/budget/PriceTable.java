package io.agentgateway.budget;

import io.agentgateway.config.PriceConfig;
import io.agentgateway.core.Usage;
import io.agentgateway.policy.Glob;

import java.util.ArrayList;
import java.util.List;

/**
 * What models cost: USD per million input, cached-input and output tokens, for {@code limit_by:
 * cost} budgets, the cost metric and the audit log's {@code cost_usd}. The entries of
 * {@code llm.pricing} are tried first, in order, then the built-in list prices of common OpenAI,
 * Anthropic and Gemini models; the first glob that matches the model name wins. Amounts are
 * counted in micro-dollars (a million tokens at $1 per million is 1,000,000 micro-dollars, so a
 * token count times a price per million is micro-dollars), rounded up.
 *
 * <p>Immutable and thread-safe.
 */
public final class PriceTable {
    /** A model's prices in USD per million tokens. */
    public record Price(String pattern, double input, double cachedInput, double output) {
        /** Micro-dollars for {@code usage}: cached input at its price, the rest of the input and the output at theirs. */
        public long microUsd(Usage usage) {
            if (usage == null) {
                return 0;
            }
            long cached = Math.min(Math.max(0, usage.cachedInputTokens()), Math.max(0, usage.inputTokens()));
            return microUsd(usage.inputTokens() - cached, cached, usage.outputTokens());
        }

        /** Micro-dollars for the given token counts (negative counts count as none). */
        public long microUsd(long input, long cached, long output) {
            double micros = Math.max(0, input) * this.input + Math.max(0, cached) * cachedInput + Math.max(0, output) * this.output;
            return (long) Math.ceil(micros - 1e-9);
        }
    }

    /**
     * List prices published by the providers (USD per million tokens; standard tier, prompts up
     * to the first price break). More specific globs come first.
     */
    private static final List<Price> BUILT_IN = List.of(
            // OpenAI
            new Price("gpt-5-nano*", 0.05, 0.005, 0.40),
            new Price("gpt-5-mini*", 0.25, 0.025, 2.00),
            new Price("gpt-5*", 1.25, 0.125, 10.00),
            new Price("gpt-4.1-nano*", 0.10, 0.025, 0.40),
            new Price("gpt-4.1-mini*", 0.40, 0.10, 1.60),
            new Price("gpt-4.1*", 2.00, 0.50, 8.00),
            new Price("gpt-4o-mini*", 0.15, 0.075, 0.60),
            new Price("gpt-4o*", 2.50, 1.25, 10.00),
            new Price("gpt-4-turbo*", 10.00, 10.00, 30.00),
            new Price("gpt-4", 30.00, 30.00, 60.00),
            new Price("gpt-4-0*", 30.00, 30.00, 60.00),
            new Price("gpt-3.5-turbo*", 0.50, 0.50, 1.50),
            new Price("o4-mini*", 1.10, 0.275, 4.40),
            new Price("o3-mini*", 1.10, 0.55, 4.40),
            new Price("o3*", 2.00, 0.50, 8.00),
            new Price("o1-mini*", 1.10, 0.55, 4.40),
            new Price("o1*", 15.00, 7.50, 60.00),
            new Price("text-embedding-3-small*", 0.02, 0.02, 0),
            new Price("text-embedding-3-large*", 0.13, 0.13, 0),
            new Price("text-embedding-ada-002*", 0.10, 0.10, 0),
            // Anthropic (cached input: a cache read)
            new Price("claude-opus-4-5*", 5.00, 0.50, 25.00),
            new Price("claude-opus-4*", 15.00, 1.50, 75.00),
            new Price("claude-3-opus*", 15.00, 1.50, 75.00),
            new Price("claude-sonnet-4*", 3.00, 0.30, 15.00),
            new Price("claude-3-7-sonnet*", 3.00, 0.30, 15.00),
            new Price("claude-3-5-sonnet*", 3.00, 0.30, 15.00),
            new Price("claude-haiku-4-5*", 1.00, 0.10, 5.00),
            new Price("claude-3-5-haiku*", 0.80, 0.08, 4.00),
            new Price("claude-3-haiku*", 0.25, 0.03, 1.25),
            // Gemini
            new Price("gemini-2.5-pro*", 1.25, 0.31, 10.00),
            new Price("gemini-2.5-flash-lite*", 0.10, 0.025, 0.40),
            new Price("gemini-2.5-flash*", 0.30, 0.075, 2.50),
            new Price("gemini-2.0-flash-lite*", 0.075, 0.075, 0.30),
            new Price("gemini-2.0-flash*", 0.10, 0.025, 0.40),
            new Price("gemini-1.5-pro*", 1.25, 0.3125, 5.00),
            new Price("gemini-1.5-flash*", 0.075, 0.01875, 0.30));

    /** The built-in prices alone. */
    public static final PriceTable DEFAULT = new PriceTable(List.of());

    private record Entry(Glob glob, Price price) {
    }

    private final List<Entry> entries;

    private PriceTable(List<Price> configured) {
        List<Entry> all = new ArrayList<>(configured.size() + BUILT_IN.size());
        for (Price p : configured) {
            all.add(new Entry(Glob.of(p.pattern()), p));
        }
        for (Price p : BUILT_IN) {
            all.add(new Entry(Glob.of(p.pattern()), p));
        }
        this.entries = List.copyOf(all);
    }

    /** {@code llm.pricing} (already validated) in front of the built-in prices. */
    public static PriceTable of(List<PriceConfig> configured) {
        if (configured.isEmpty()) {
            return DEFAULT;
        }
        List<Price> prices = new ArrayList<>(configured.size());
        for (PriceConfig c : configured) {
            prices.add(new Price(c.model(), c.input(), c.cachedInput() == null ? c.input() : c.cachedInput(), c.output()));
        }
        return new PriceTable(prices);
    }

    /** The price of {@code model}, or null when nothing matches it (or it is null). */
    public Price price(String model) {
        if (model == null) {
            return null;
        }
        for (Entry e : entries) {
            if (e.glob().matches(model)) {
                return e.price();
            }
        }
        return null;
    }

    /** Micro-dollars as US dollars, the way headers and the audit log write them ({@code 0.0125}). */
    public static String usd(long microUsd) {
        return java.math.BigDecimal.valueOf(microUsd, 6).stripTrailingZeros().toPlainString();
    }
}
