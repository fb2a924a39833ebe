package dev.eveflink.model.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which running sequence sits in which slot of the {@link SlotModel}. Running sequences always
 * occupy slots {@code 0 .. size-1}: when one leaves, the sequence in the last slot moves into the
 * hole, so a decode step runs over a prefix of the slots. Single-threaded.
 */
final class RunningBatch {
    private static final Logger LOG = LoggerFactory.getLogger(RunningBatch.class);

    private final SlotModel model;
    private final int capacity;
    private final List<Sequence> bySlot = new ArrayList<>();

    RunningBatch(SlotModel model, int capacity) {
        this.model = model;
        this.capacity = capacity;
    }

    int size() {
        return bySlot.size();
    }

    boolean isEmpty() {
        return bySlot.isEmpty();
    }

    int capacity() {
        return capacity;
    }

    int free() {
        return capacity - bySlot.size();
    }

    Sequence get(int slot) {
        return bySlot.get(slot);
    }

    List<Sequence> sequences() {
        return List.copyOf(bySlot);
    }

    /** Places a freshly prefilled sequence; its slot must be the next free one. */
    void add(Sequence seq) {
        if (seq.slot != bySlot.size()) {
            throw new IllegalStateException("sequence " + seq.request().id() + " was prefilled into slot "
                    + seq.slot + ", the next free slot is " + bySlot.size());
        }
        bySlot.add(seq);
    }

    /** The token each running sequence feeds next, by slot. */
    int[] lastTokens() {
        int[] feed = new int[bySlot.size()];
        for (int i = 0; i < feed.length; i++) {
            feed[i] = bySlot.get(i).lastToken();
        }
        return feed;
    }

    /**
     * Removes the sequences, releasing their slots and compacting. Highest slot first, so the sequence
     * moved into a hole is always one that stays.
     */
    void removeAll(List<Sequence> leaving) {
        List<Sequence> ordered = new ArrayList<>(leaving);
        ordered.sort(Comparator.comparingInt((Sequence s) -> s.slot).reversed());
        for (Sequence seq : ordered) {
            remove(seq);
        }
    }

    private void remove(Sequence seq) {
        int hole = seq.slot;
        if (hole >= bySlot.size() || bySlot.get(hole) != seq) {
            throw new IllegalStateException("sequence " + seq.request().id() + " is not in slot " + hole);
        }
        model.release(hole);
        int last = bySlot.size() - 1;
        if (hole != last) {
            Sequence moved = bySlot.get(last);
            model.move(last, hole);
            moved.slot = hole;
            bySlot.set(hole, moved);
        }
        bySlot.remove(last);
    }

    /** Forgets every sequence (after a failed decode), releasing the slots as far as the model lets us. */
    List<Sequence> clear() {
        List<Sequence> all = List.copyOf(bySlot);
        for (int slot = bySlot.size() - 1; slot >= 0; slot--) {
            releaseQuietly(model, slot);
        }
        bySlot.clear();
        return all;
    }

    static void releaseQuietly(SlotModel model, int slot) {
        try {
            model.release(slot);
        } catch (RuntimeException e) {
            LOG.warn("releasing slot {} failed: {}", slot, e.toString());
        }
    }
}
