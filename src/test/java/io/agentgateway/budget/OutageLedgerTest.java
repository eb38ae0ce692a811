package io.agentgateway.budget;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The share a replica keeps to while Redis is away. */
class OutageLedgerTest {
    final BudgetCounter c = new BudgetCounter("{ns}:r:3600:0", 100, Long.MAX_VALUE);

    int granted(OutageLedger ledger, int replicas, int tries) {
        int n = 0;
        for (int i = 0; i < tries; i++) {
            n += ledger.reserve(List.of(c), new long[]{1}, replicas).granted() ? 1 : 0;
        }
        return n;
    }

    @Test
    void aliveAloneItMayUseAllThatIsLeft() {
        OutageLedger ledger = new OutageLedger();
        ledger.observe(List.of(c), new long[]{40}, 0);
        assertThat(granted(ledger, 1, 100)).isEqualTo(60);
    }

    @Test
    void withOthersItUsesItsShareOfWhatWasLeft() {
        OutageLedger ledger = new OutageLedger();
        ledger.observe(List.of(c), new long[]{40}, 0);
        assertThat(granted(ledger, 3, 100)).isEqualTo(20);
        CounterStore.Counts refused = ledger.reserve(List.of(c), new long[]{1}, 3);
        assertThat(refused.values()).as("reported so that nothing remains for this replica").containsExactly(100);
    }

    @Test
    void aCounterNeverSeenIsSharedWhole() {
        OutageLedger ledger = new OutageLedger();
        assertThat(granted(ledger, 4, 100)).isEqualTo(25);
    }

    @Test
    void releasesGiveTheShareBack() {
        OutageLedger ledger = new OutageLedger();
        assertThat(ledger.reserve(List.of(c), new long[]{50}, 2).granted()).isTrue();
        assertThat(ledger.reserve(List.of(c), new long[]{1}, 2).granted()).isFalse();
        ledger.adjust(List.of(c), new long[]{-30}, 0);
        assertThat(granted(ledger, 2, 100)).isEqualTo(30);
    }
}
