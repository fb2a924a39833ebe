package dev.eveflink.job.bench;

import java.util.Arrays;

/**
 * Nearest-rank percentiles of a sample: the p-th percentile is the smallest value such that at least
 * p% of the sample is at or below it ({@code sorted[ceil(p/100 * n) - 1]}), so every reported figure
 * is a value that was actually observed.
 */
final class Percentiles {
    private final double[] sorted;

    private Percentiles(double[] sorted) {
        this.sorted = sorted;
    }

    /** The percentiles of {@code values} (copied); empty samples are refused. */
    static Percentiles of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values: a percentile of an empty sample is undefined");
        }
        double[] copy = values.clone();
        Arrays.sort(copy);
        return new Percentiles(copy);
    }

    /** The nearest-rank {@code p}-th percentile, p in (0, 100]. */
    double at(double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }

    int count() {
        return sorted.length;
    }

    double mean() {
        double sum = 0;
        for (double v : sorted) {
            sum += v;
        }
        return sum / sorted.length;
    }
}
