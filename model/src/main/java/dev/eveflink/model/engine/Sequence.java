package dev.eveflink.model.engine;

import dev.eveflink.model.generate.Sampler;
import java.util.Arrays;

/** One request in the running batch: its slot, its sampler and the tokens it produced so far. */
final class Sequence {
    final QueuedRequest queued;
    final Sampler sampler;
    final long admittedNanos;
    final long prefillNanos;
    final int batchSize;
    int slot;
    private int[] tokens;
    private int count;

    Sequence(QueuedRequest queued, int slot, long admittedNanos, long prefillNanos, int batchSize) {
        this.queued = queued;
        this.sampler = Sampler.of(queued.request().params());
        this.slot = slot;
        this.admittedNanos = admittedNanos;
        this.prefillNanos = prefillNanos;
        this.batchSize = batchSize;
        this.tokens = new int[Math.min(queued.newTokenLimit(), 16)];
    }

    PreparedRequest request() {
        return queued.request();
    }

    void append(int token) {
        if (count == tokens.length) {
            tokens = Arrays.copyOf(tokens, Math.max(1, tokens.length * 2));
        }
        tokens[count++] = token;
    }

    int count() {
        return count;
    }

    int lastToken() {
        return tokens[count - 1];
    }

    int[] tokens() {
        return Arrays.copyOf(tokens, count);
    }
}
