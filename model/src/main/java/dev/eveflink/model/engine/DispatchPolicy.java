package dev.eveflink.model.engine;

/**
 * When an idle engine (nothing running) starts a batch. At once when the waiting requests already fill
 * every free slot or the token budget (deep queue: throughput), or when waiting does not pay (shallow
 * queue: latency). Waiting pays while the {@link ArrivalEstimator} predicts another arrival before the
 * oldest request has waited {@code maxWait}; it never lasts longer than that.
 */
final class DispatchPolicy {
    private final long maxWaitNanos;
    private final ArrivalEstimator arrivals = new ArrivalEstimator();

    DispatchPolicy(long maxWaitNanos) {
        this.maxWaitNanos = maxWaitNanos;
    }

    void onArrival(long nowNanos) {
        arrivals.onArrival(nowNanos);
    }

    boolean dispatchNow(long now, WaitQueue queue, int freeSlots, long budgetLeft) {
        if (queue.isEmpty()) {
            return false;
        }
        if (batchCannotGrow(queue, freeSlots, budgetLeft)) {
            return true;
        }
        long left = maxWaitNanos - (now - queue.oldestEnqueuedNanos());
        return left <= 0 || !arrivals.expectsArrivalWithin(now, left);
    }

    /** How long to hold back (only meaningful when {@link #dispatchNow} said no). */
    long holdNanos(long now, WaitQueue queue) {
        long untilMaxWait = queue.oldestEnqueuedNanos() + maxWaitNanos - now;
        long earliest = queue.earliestDeadlineNanos();
        long untilDeadline = earliest == PreparedRequest.NO_DEADLINE ? Long.MAX_VALUE : earliest - now;
        return Math.max(0, Math.min(untilMaxWait, untilDeadline));
    }

    /** True when the waiting requests already fill every free slot or the token budget left. */
    private static boolean batchCannotGrow(WaitQueue queue, int freeSlots, long budgetLeft) {
        if (queue.size() >= freeSlots) {
            return true;
        }
        long left = budgetLeft;
        for (QueuedRequest q : queue.inOrder()) {
            left -= q.reservedTokens();
            if (left < 0) {
                return true;
            }
        }
        return false;
    }
}
