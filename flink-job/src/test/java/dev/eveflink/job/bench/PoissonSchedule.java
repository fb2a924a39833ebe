package dev.eveflink.job.bench;

import java.util.SplittableRandom;

/**
 * Send instants of an open-loop Poisson arrival process: exponential gaps with mean {@code 1/rate},
 * drawn from a seeded generator so that a rerun offers exactly the same load.
 */
final class PoissonSchedule {
    private PoissonSchedule() {}

    /**
     * Offsets in nanoseconds from the start of the phase, non-decreasing; the first arrival is one gap
     * after the start (not at 0), as in a Poisson process.
     *
     * @param ratePerSecond mean arrivals per second, > 0
     * @param count arrivals, >= 0
     * @param seed the generator's seed
     */
    static long[] offsetsNanos(double ratePerSecond, int count, long seed) {
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("rate must be a positive finite number, got " + ratePerSecond);
        }
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        SplittableRandom random = new SplittableRandom(seed);
        long[] offsets = new long[count];
        double t = 0;
        for (int i = 0; i < count; i++) {
            // Inverse CDF of the exponential distribution; 1 - u is in (0, 1], so the log is finite.
            t += -Math.log(1.0 - random.nextDouble()) / ratePerSecond;
            offsets[i] = (long) (t * 1e9);
        }
        return offsets;
    }
}
