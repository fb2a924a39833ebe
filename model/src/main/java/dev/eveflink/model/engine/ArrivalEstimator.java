package dev.eveflink.model.engine;

/**
 * Estimates the time to the next arrival from an exponentially weighted moving average of the gaps
 * between arrivals. An idle engine holds a request back only when this predicts company soon.
 */
final class ArrivalEstimator {
    /** Weight of the newest gap: recent load matters most, one odd gap does not swing the mean. */
    static final double ALPHA = 0.25;

    private long lastArrivalNanos = Long.MIN_VALUE;
    private double meanGapNanos = Double.NaN;

    void onArrival(long nowNanos) {
        if (lastArrivalNanos != Long.MIN_VALUE) {
            double gap = Math.max(0, nowNanos - lastArrivalNanos);
            meanGapNanos = Double.isNaN(meanGapNanos) ? gap : ALPHA * gap + (1 - ALPHA) * meanGapNanos;
        }
        lastArrivalNanos = nowNanos;
    }

    /** True when the next arrival is expected within {@code windowNanos} of now. */
    boolean expectsArrivalWithin(long nowNanos, long windowNanos) {
        if (Double.isNaN(meanGapNanos) || windowNanos <= 0) {
            return false;
        }
        double expectedNext = lastArrivalNanos + meanGapNanos;
        if (expectedNext < nowNanos) {
            // Overdue: the stream may have slowed; expect a full mean gap from now rather than "any moment".
            expectedNext = nowNanos + meanGapNanos;
        }
        return expectedNext <= (double) nowNanos + windowNanos;
    }

    /** The mean gap between arrivals, or NaN before two arrivals. */
    double meanGapNanos() {
        return meanGapNanos;
    }
}
