package dev.eveflink.model.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/**
 * The bounded queue of requests waiting for admission, in service order: priority (higher first),
 * then deadline (earlier first, none last), then arrival. Single-threaded (the scheduler's).
 */
final class WaitQueue {
    static final Comparator<QueuedRequest> SERVICE_ORDER = Comparator
            .comparingInt((QueuedRequest q) -> -q.request().priority())
            .thenComparingLong(q -> q.request().deadlineNanos())
            .thenComparingLong(QueuedRequest::arrival);

    private final int capacity;
    private final TreeSet<QueuedRequest> queue = new TreeSet<>(SERVICE_ORDER);

    WaitQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("queue capacity must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    /** False when the queue is full. */
    boolean offer(QueuedRequest request) {
        if (queue.size() >= capacity) {
            return false;
        }
        queue.add(request);
        return true;
    }

    /** The next request to serve, or null. */
    QueuedRequest peek() {
        return queue.isEmpty() ? null : queue.first();
    }

    QueuedRequest poll() {
        return queue.pollFirst();
    }

    /** The waiting requests in service order (a view; do not modify the queue while iterating). */
    Iterable<QueuedRequest> inOrder() {
        return queue;
    }

    /** Removes and returns every request whose deadline has passed. */
    List<QueuedRequest> removeExpired(long nowNanos) {
        List<QueuedRequest> expired = new ArrayList<>();
        for (Iterator<QueuedRequest> it = queue.iterator(); it.hasNext(); ) {
            QueuedRequest q = it.next();
            if (q.request().expired(nowNanos)) {
                expired.add(q);
                it.remove();
            }
        }
        return expired;
    }

    /** When the longest-waiting request entered, or Long.MAX_VALUE when empty. */
    long oldestEnqueuedNanos() {
        long oldest = Long.MAX_VALUE;
        for (QueuedRequest q : queue) {
            oldest = Math.min(oldest, q.enqueuedNanos());
        }
        return oldest;
    }

    /** The earliest deadline in the queue, or {@link PreparedRequest#NO_DEADLINE}. */
    long earliestDeadlineNanos() {
        long earliest = PreparedRequest.NO_DEADLINE;
        for (QueuedRequest q : queue) {
            earliest = Math.min(earliest, q.request().deadlineNanos());
        }
        return earliest;
    }

    /** Removes and returns everything. */
    List<QueuedRequest> drain() {
        List<QueuedRequest> all = new ArrayList<>(queue);
        queue.clear();
        return all;
    }

    int size() {
        return queue.size();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    int capacity() {
        return capacity;
    }
}
