package io.agentgateway.llm;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recent-count cache finds a text only by its content: two texts of the same length and
 * {@code String.hashCode} each get their own count (a crafted collision cannot borrow another
 * text's estimate), and what the cache keeps stays within its bound however long the texts.
 */
class TokenCounterRecentTest {
    @BeforeAll
    static void load() {
        TokenCounter.awaitLoaded();
    }

    /** "Aa" and "BB" hash alike, so any sequence of them hashes like any other of the same length. */
    private static String colliding(String block, String other, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(i % 7 == 0 ? other : block);
        }
        return s.toString();
    }

    @Test
    void aTextWithAnothersHashAndLengthGetsItsOwnCount() {
        String cheap = colliding("Aa", "BB", 400);
        String dear = colliding("BB", "Aa", 400);
        assertThat(cheap.hashCode()).isEqualTo(dear.hashCode());
        assertThat(cheap).hasSameSizeAs(dear).isNotEqualTo(dear);
        int cheapCount = TokenCounter.count(cheap, "gpt-4o");
        int dearCount = TokenCounter.count(dear, "gpt-4o");
        assertThat(cheapCount).isNotEqualTo(dearCount);

        for (int round = 0; round < 3; round++) {
            assertThat(TokenCounter.countRecent(cheap, "gpt-4o")).isEqualTo(cheapCount);
            assertThat(TokenCounter.countRecent(dear, "gpt-4o")).isEqualTo(dearCount);
            // An equal text in another instance is found by its content.
            assertThat(TokenCounter.countRecent(new String(cheap), "gpt-4o")).isEqualTo(cheapCount);
        }
        // The same text under the other encoding is counted with that encoding.
        assertThat(TokenCounter.countRecent(cheap, "gpt-3.5-turbo")).isEqualTo(TokenCounter.count(cheap, "gpt-3.5-turbo"));
        assertThat(TokenCounter.countRecent(cheap, "gpt-4o")).isEqualTo(cheapCount);
    }

    @Test
    void theTextsKeptStayWithinTheirBound() {
        TokenCounter.Recent recent = new TokenCounter.Recent();
        String big = "x".repeat(100_000);
        for (int i = 0; i < 200; i++) {
            String text = big + i;
            recent.put(text, true, i);
            assertThat(recent.kept()).isLessThanOrEqualTo(TokenCounter.Recent.MAX_KEPT);
        }
        assertThat(recent.kept()).isGreaterThan(TokenCounter.Recent.MAX_KEPT - 100_010);
        // A short text still fits in what the long ones left.
        String small = "hello";
        recent.put(small, false, 2);
        assertThat(recent.get(small, false)).isEqualTo(2);
        assertThat(recent.get(small, true)).isEqualTo(-1);
        String first = "short one";
        TokenCounter.Recent fresh = new TokenCounter.Recent();
        fresh.put(first, true, 3);
        assertThat(fresh.get(new String(first), true)).isEqualTo(3);
        assertThat(fresh.kept()).isEqualTo(first.length());
    }
}
