package dev.eveflink.model.demo.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WorldRandomTest {

    @Test
    void sameSeedSameSequenceAndDifferentSeedsDiffer() {
        WorldRandom a = new WorldRandom(42);
        WorldRandom b = new WorldRandom(42);
        WorldRandom c = new WorldRandom(43);
        int differences = 0;
        for (int i = 0; i < 1000; i++) {
            long x = a.nextLong();
            assertThat(b.nextLong()).isEqualTo(x);
            if (c.nextLong() != x) {
                differences++;
            }
        }
        assertThat(differences).isEqualTo(1000);
    }

    @Test
    void streamsDependOnlyOnTheirCoordinates() {
        assertThat(WorldRandom.stream(1, 2, 3).nextLong()).isEqualTo(WorldRandom.stream(1, 2, 3).nextLong());
        assertThat(WorldRandom.stream(1, 2, 3).nextLong()).isNotEqualTo(WorldRandom.stream(1, 2, 4).nextLong());
        assertThat(WorldRandom.stream(1, 2, 3).nextLong()).isNotEqualTo(WorldRandom.stream(1, 3, 3).nextLong());
        assertThat(WorldRandom.stream(1, 2, 3).nextLong()).isNotEqualTo(WorldRandom.stream(2, 2, 3).nextLong());
    }

    @Test
    void nextIntCoversItsInclusiveRangeUniformly() {
        WorldRandom random = new WorldRandom(7);
        int low = 85;
        int high = 95;
        int bins = high - low + 1;
        int draws = 110_000;
        int[] counts = new int[bins];
        for (int i = 0; i < draws; i++) {
            int v = random.nextInt(low, high);
            assertThat(v).isBetween(low, high);
            counts[v - low]++;
        }
        double expected = draws / (double) bins;
        double chiSquare = 0;
        for (int count : counts) {
            chiSquare += (count - expected) * (count - expected) / expected;
        }
        // 10 degrees of freedom: P(chi2 > 35) < 2e-4.
        assertThat(chiSquare).isLessThan(35.0);
    }

    @Test
    void chanceIsExact() {
        WorldRandom random = new WorldRandom(9);
        int n = 100_000;
        int hits = 0;
        for (int i = 0; i < n; i++) {
            hits += random.chance(3, 10) ? 1 : 0;
        }
        double sd = Math.sqrt(n * 0.3 * 0.7);
        assertThat(Math.abs(hits - 0.3 * n)).isLessThan(5 * sd);
    }

    @Test
    void rejectsEmptyRanges() {
        assertThatThrownBy(() -> new WorldRandom(1).nextInt(0)).hasMessageContaining("0");
        assertThatThrownBy(() -> new WorldRandom(1).nextInt(5, 4)).hasMessageContaining("5..4");
    }
}
