package dev.eveflink.job.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PoissonScheduleTest {

    @Test
    void theSameSeedGivesTheSameScheduleAndAnotherSeedAnother() {
        long[] a = PoissonSchedule.offsetsNanos(40, 500, 11);
        assertThat(PoissonSchedule.offsetsNanos(40, 500, 11)).isEqualTo(a);
        assertThat(PoissonSchedule.offsetsNanos(40, 500, 12)).isNotEqualTo(a);
    }

    @Test
    void gapsAreExponentialWithTheRequestedMeanRate() {
        double rate = 25;
        int n = 40_000;
        long[] offsets = PoissonSchedule.offsetsNanos(rate, n, 5);
        double[] gaps = new double[n];
        long previous = 0;
        for (int i = 0; i < n; i++) {
            assertThat(offsets[i]).isGreaterThanOrEqualTo(previous);
            gaps[i] = (offsets[i] - previous) / 1e9;
            previous = offsets[i];
        }
        double mean = java.util.Arrays.stream(gaps).average().orElseThrow();
        double variance = java.util.Arrays.stream(gaps).map(g -> (g - mean) * (g - mean)).sum() / (n - 1);
        // The mean gap's standard error is 1/(rate*sqrt(n)) = 0.5% of the mean: 3% is six of them.
        assertThat(1 / mean).isCloseTo(rate, org.assertj.core.data.Percentage.withPercentage(3));
        // An exponential distribution's standard deviation equals its mean (coefficient of variation 1).
        assertThat(Math.sqrt(variance) / mean).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.05));
        // Memorylessness shows as P(gap > mean) = e^-1.
        double longer = java.util.Arrays.stream(gaps).filter(g -> g > 1 / rate).count() / (double) n;
        assertThat(longer).isCloseTo(Math.exp(-1), org.assertj.core.data.Offset.offset(0.015));
    }

    @Test
    void refusesNonPositiveRatesAndNegativeCounts() {
        assertThatThrownBy(() -> PoissonSchedule.offsetsNanos(0, 1, 1)).hasMessageContaining("rate");
        assertThatThrownBy(() -> PoissonSchedule.offsetsNanos(Double.NaN, 1, 1)).hasMessageContaining("rate");
        assertThatThrownBy(() -> PoissonSchedule.offsetsNanos(1, -1, 1)).hasMessageContaining("count");
        assertThat(PoissonSchedule.offsetsNanos(1, 0, 1)).isEmpty();
    }
}
