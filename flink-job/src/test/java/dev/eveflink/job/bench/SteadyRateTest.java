package dev.eveflink.job.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class SteadyRateTest {

    @Test
    void leavesOutASlowStartAndDrain() {
        // 100 completions: a 5 s start-up before the first, 20 ms apart (50/s) in the middle, a slow tail.
        long[] t = new long[100];
        for (int i = 0; i < 100; i++) {
            t[i] = 5_000_000_000L + i * 20_000_000L + (i >= 95 ? (i - 94) * 1_000_000_000L : 0);
        }
        assertThat(SteadyRate.perSecond(t, 0.1, 0.9)).isCloseTo(50.0, offset(1e-9));
        // The order of completions does not matter.
        long[] reversed = new long[100];
        for (int i = 0; i < 100; i++) {
            reversed[i] = t[99 - i];
        }
        assertThat(SteadyRate.perSecond(reversed, 0.1, 0.9)).isCloseTo(50.0, offset(1e-9));
    }

    @Test
    void refusesTooFewCompletionsAndBadFractions() {
        assertThatThrownBy(() -> SteadyRate.perSecond(new long[] {1, 2}, 0.1, 0.9)).hasMessageContaining("too few");
        assertThatThrownBy(() -> SteadyRate.perSecond(new long[] {1, 2, 3, 4}, 0.9, 0.1)).hasMessageContaining("from");
        assertThatThrownBy(() -> SteadyRate.perSecond(new long[] {5, 5, 5, 5, 5}, 0, 1))
                .hasMessageContaining("instant");
    }

    @Test
    void countsCompletionsInsideAWindow() {
        long[] t = {0, 500_000_000L, 1_000_000_000L, 1_250_000_000L, 1_500_000_000L, 1_750_000_000L, 2_000_000_000L};
        // [1 s, 2 s): the completions at 1, 1.25, 1.5 and 1.75 s, four per second.
        assertThat(SteadyRate.inWindow(t, 1_000_000_000L, 2_000_000_000L)).isCloseTo(4.0, offset(1e-9));
        assertThatThrownBy(() -> SteadyRate.inWindow(t, 5, 5)).hasMessageContaining("empty window");
        assertThatThrownBy(() -> SteadyRate.inWindow(t, 2_100_000_000L, 3_000_000_000L))
                .hasMessageContaining("too few");
    }
}
