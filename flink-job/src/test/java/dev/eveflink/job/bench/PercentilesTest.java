package dev.eveflink.job.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void nearestRankMatchesTheDefinitionOnRandomSamples() {
        SplittableRandom random = new SplittableRandom(3);
        for (int trial = 0; trial < 50; trial++) {
            double[] values = random.doubles(1 + random.nextInt(200), 0, 1000).toArray();
            Percentiles p = Percentiles.of(values);
            for (double q : new double[] {1, 25, 50, 90, 95, 99, 100}) {
                double v = p.at(q);
                // The definition: the smallest observed value with at least q% of the sample at or below it.
                long atOrBelow = Arrays.stream(values).filter(x -> x <= v).count();
                assertThat(atOrBelow).isGreaterThanOrEqualTo((long) Math.ceil(q / 100 * values.length));
                double smaller = Arrays.stream(values).filter(x -> x < v).max().orElse(Double.NEGATIVE_INFINITY);
                long atOrBelowSmaller = Arrays.stream(values).filter(x -> x <= smaller).count();
                assertThat(atOrBelowSmaller).isLessThan((long) Math.ceil(q / 100 * values.length));
                assertThat(values).contains(v);
            }
        }
    }

    @Test
    void smallSamplesGiveObservedValues() {
        Percentiles p = Percentiles.of(new double[] {40, 10, 30, 20});
        assertThat(p.at(50)).isEqualTo(20);
        assertThat(p.at(75)).isEqualTo(30);
        assertThat(p.at(99)).isEqualTo(40);
        assertThat(p.at(100)).isEqualTo(40);
        assertThat(p.mean()).isEqualTo(25);
        assertThat(Percentiles.of(new double[] {7}).at(1)).isEqualTo(7);
    }

    @Test
    void refusesEmptySamplesAndPercentilesOutOfRange() {
        assertThatThrownBy(() -> Percentiles.of(new double[0])).hasMessageContaining("empty");
        Percentiles p = Percentiles.of(new double[] {1, 2});
        assertThatThrownBy(() -> p.at(0)).hasMessageContaining("(0, 100]");
        assertThatThrownBy(() -> p.at(101)).hasMessageContaining("(0, 100]");
    }
}
