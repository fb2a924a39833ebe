package dev.eveflink.model.engine;

/**
 * KV-cache tokens the running sequences have reserved out of a fixed total. A sequence reserves its
 * worst case (prompt plus new-token limit) at admission and gives it back when it leaves, so a burst
 * of long requests queues instead of overcommitting device memory. Single-threaded.
 */
final class TokenBudget {
    private final long capacity;
    private long reserved;

    TokenBudget(long capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("token budget must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    /** True when a reservation of this size could ever be granted. */
    boolean fitsEver(long tokens) {
        return tokens <= capacity;
    }

    /** Reserves when there is room; false otherwise (nothing changes). */
    boolean tryReserve(long tokens) {
        if (reserved + tokens > capacity) {
            return false;
        }
        reserved += tokens;
        return true;
    }

    void release(long tokens) {
        if (tokens > reserved) {
            throw new IllegalStateException("releasing " + tokens + " tokens, only " + reserved + " reserved");
        }
        reserved -= tokens;
    }

    long capacity() {
        return capacity;
    }

    long reserved() {
        return reserved;
    }
}
