package io.agentgateway.budget;

import io.agentgateway.config.PriceConfig;
import io.agentgateway.core.Usage;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PriceTableTest {
    @Test
    void configuredPricesComeBeforeTheBuiltInOnesAndTheMostSpecificBuiltInWins() {
        PriceTable t = PriceTable.of(List.of(new PriceConfig("gpt-4o", 1.0, null, 2.0)));
        assertThat(t.price("gpt-4o").input()).isEqualTo(1.0);
        assertThat(t.price("gpt-4o").cachedInput()).as("cached input defaults to input").isEqualTo(1.0);
        assertThat(t.price("gpt-4o-mini").input()).isEqualTo(0.15);
        assertThat(t.price("gpt-4o-2024-08-06").output()).isEqualTo(10.0);
        assertThat(t.price("claude-sonnet-4-5-20250929").output()).isEqualTo(15.0);
        assertThat(t.price("gemini-2.5-flash-lite").input()).isEqualTo(0.10);
        assertThat(t.price("my-own-model")).isNull();
        assertThat(t.price(null)).isNull();
    }

    @Test
    void usageIsPricedInMicroDollarsWithCachedInputAtItsOwnRate() {
        PriceTable.Price gpt4o = PriceTable.DEFAULT.price("gpt-4o");
        // 1000 input of which 400 cached, 100 output: 600*2.50 + 400*1.25 + 100*10 = 3000 micro-dollars
        assertThat(gpt4o.microUsd(new Usage(1000, 100, 1100, 400, false))).isEqualTo(3000);
        assertThat(gpt4o.microUsd(null)).isZero();
        assertThat(PriceTable.DEFAULT.price("gpt-4o-mini").microUsd(1, 0, 0)).as("rounded up").isEqualTo(1);
    }

    @Test
    void microDollarsAreWrittenAsPlainDollars() {
        assertThat(PriceTable.usd(100_000)).isEqualTo("0.1");
        assertThat(PriceTable.usd(25_000_000)).isEqualTo("25");
        assertThat(PriceTable.usd(0)).isEqualTo("0");
        assertThat(PriceTable.usd(12_345)).isEqualTo("0.012345");
    }
}
