package dev.eveflink.model.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The KV cache of a continuous batch: per layer, K and V of shape [slots, kvHeads, capacity,
 * headDim], where each slot holds one sequence at its own length (positions are columns, no padding).
 * Sequences join by copying a prefill's rows into a free slot ({@link #load}), decode steps write
 * every active row at its own column in one indexed put per layer, and a leaving sequence's slot is
 * reused. Allocated once, so memory is bounded by construction.
 */
public final class SlotKvCache implements AutoCloseable {
    private final NDManager manager;
    private final NDArray[] keys; // per layer [S, kvHeads, capacity, hd]
    private final NDArray[] values; // per layer [S, kvHeads, capacity, hd]
    private final int[] lengths; // per slot: positions held
    private final int capacity;

    SlotKvCache(NDManager parent, int layers, int slots, int kvHeads, int capacity, int headDim, DataType type) {
        this.manager = parent.newSubManager();
        this.capacity = capacity;
        this.lengths = new int[slots];
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
        Shape shape = new Shape(slots, kvHeads, capacity, headDim);
        for (int l = 0; l < layers; l++) {
            keys[l] = manager.zeros(shape, type);
            values[l] = manager.zeros(shape, type);
        }
    }

    public int slots() {
        return lengths.length;
    }

    public int capacity() {
        return capacity;
    }

    /** Positions slot {@code slot} holds. */
    public int length(int slot) {
        return lengths[slot];
    }

    /**
     * Copies row {@code row} of a prefill batch (its real columns [pad, pad + length)) into a free
     * slot, as columns [0, length).
     */
    public void load(int slot, KvCache prefill, int row, int pad, int length) {
        if (length > capacity) {
            throw new IllegalArgumentException("prompt of " + length + " positions exceeds slot capacity " + capacity);
        }
        NDIndex source = new NDIndex("{}, :, {}:{}", row, pad, pad + length);
        NDIndex target = new NDIndex("{}, :, :{}", slot, length);
        for (int l = 0; l < keys.length; l++) {
            keys[l].set(target, prefill.keys(l).get(source));
            values[l].set(target, prefill.values(l).get(source));
        }
        lengths[slot] = length;
    }

    /** Moves a sequence to a free slot (the scheduler keeps running sequences in slots 0..n-1). */
    public void move(int from, int to) {
        int length = lengths[from];
        if (length > 0) {
            NDIndex source = new NDIndex("{}, :, :{}", from, length);
            NDIndex target = new NDIndex("{}, :, :{}", to, length);
            for (int l = 0; l < keys.length; l++) {
                // The views belong to the cache's long-lived manager: close them here, or every move leaks two.
                try (NDArray k = keys[l].get(source);
                        NDArray v = values[l].get(source)) {
                    keys[l].set(target, k);
                    values[l].set(target, v);
                }
            }
        }
        lengths[to] = length;
        lengths[from] = 0;
    }

    public void release(int slot) {
        lengths[slot] = 0;
    }

    /**
     * The store of one decode step over slots 0..n-1: row i writes its new key/value at column
     * {@code length(i)} and attends over columns [0, max length + 1), masked per row by the caller.
     */
    public KvStore decodeStep(NDManager scope, int n) {
        long[] rows = new long[n];
        long[] columns = new long[n];
        int span = 0;
        for (int i = 0; i < n; i++) {
            if (lengths[i] >= capacity) {
                throw new IllegalStateException("slot " + i + " is full (" + capacity + " positions)");
            }
            rows[i] = i;
            columns[i] = lengths[i];
            span = Math.max(span, lengths[i] + 1);
        }
        NDArray rowIndex = scope.create(rows);
        NDArray columnIndex = scope.create(columns);
        int attended = span;
        return new KvStore() {
            @Override
            public NDArray[] append(int layer, NDArray k, NDArray v) {
                // k, v: [n, KvH, 1, hd] -> one indexed put writes row i at column length(i).
                NDIndex at = new NDIndex("{}, :, {}", rowIndex, columnIndex);
                keys[layer].set(at, k.squeeze(2)); // value [n, KvH, hd]
                values[layer].set(at, v.squeeze(2));
                NDIndex visible = new NDIndex(":{}, :, :{}", n, attended);
                return new NDArray[] {keys[layer].get(visible), values[layer].get(visible)};
            }

            @Override
            public void advance(int columnsAdded) {
                for (int i = 0; i < n; i++) {
                    lengths[i] += columnsAdded;
                }
            }
        };
    }

    @Override
    public void close() {
        manager.close();
    }
}
