package dev.eveflink.job.bench;

import java.util.Arrays;

/**
 * The sustained rate of a run from its completion instants, leaving out the start (job and engine
 * start-up, batches filling) and the drain at the end: either between two fractions of a backlog's
 * completions, or inside a time window of a closed-loop run.
 */
final class SteadyRate {
    private SteadyRate() {}

    /**
     * Completions per second between the completions at fractions {@code from} and {@code to} of the
     * run (e.g. 0.1 and 0.9).
     *
     * @param completionNanos one instant per completed item, any order
     */
    static double perSecond(long[] completionNanos, double from, double to) {
        if (!(from >= 0 && from < to && to <= 1)) {
            throw new IllegalArgumentException("need 0 <= from < to <= 1, got " + from + ", " + to);
        }
        long[] sorted = completionNanos.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        int first = (int) Math.floor(from * (n - 1));
        int last = (int) Math.ceil(to * (n - 1));
        if (last - first < 2) {
            throw new IllegalArgumentException("too few completions (" + n + ") to measure a steady rate");
        }
        long span = sorted[last] - sorted[first];
        if (span <= 0) {
            throw new IllegalArgumentException("completions " + first + ".." + last + " share one instant");
        }
        return (last - first) / (span / 1e9);
    }

    /**
     * Completions per second inside a window of a saturated closed-loop run: those at
     * {@code fromNanos <= t < toNanos}, divided by the window's length.
     */
    static double inWindow(long[] completionNanos, long fromNanos, long toNanos) {
        if (toNanos <= fromNanos) {
            throw new IllegalArgumentException("empty window " + fromNanos + ".." + toNanos);
        }
        long count = Arrays.stream(completionNanos).filter(t -> t >= fromNanos && t < toNanos).count();
        if (count < 2) {
            throw new IllegalArgumentException("only " + count + " completions in the window: too few to measure");
        }
        return count / ((toNanos - fromNanos) / 1e9);
    }
}
