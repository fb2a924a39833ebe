package dev.eveflink.model.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Preallocated key/value cache of one batch: per layer, K and V of shape
 * [B, kvHeads, capacity, headDim]. Columns are shared by the batch (sequences are left-padded), so
 * a prefill writes columns [0, T) and decode step i writes column T + i - 1 in place. Allocated once:
 * decoding never reallocates or concatenates.
 */
public final class KvCache implements KvStore, AutoCloseable {
    private final NDManager manager;
    private final NDArray[] keys; // per layer [B, kvHeads, capacity, headDim]
    private final NDArray[] values; // per layer [B, kvHeads, capacity, headDim]
    private final int capacity;
    private int length;

    public KvCache(NDManager parent, int layers, int batch, int kvHeads, int capacity, int headDim, DataType type) {
        this.manager = parent.newSubManager();
        this.capacity = capacity;
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
        Shape shape = new Shape(batch, kvHeads, capacity, headDim);
        for (int l = 0; l < layers; l++) {
            keys[l] = manager.zeros(shape, type);
            values[l] = manager.zeros(shape, type);
        }
    }

    public int capacity() {
        return capacity;
    }

    /** Columns written so far (the same for every sequence of the batch). */
    public int length() {
        return length;
    }

    /**
     * Writes k and v ([B, kvHeads, T, headDim]) of one layer at the next columns
     * [length, length + T) and returns views of all columns written so far, [B, kvHeads, length + T,
     * headDim] each.
     */
    @Override
    public NDArray[] append(int layer, NDArray k, NDArray v) {
        int start = length;
        long t = k.getShape().get(2);
        if (start + t > capacity) {
            throw new IllegalStateException(
                    "KV cache full: " + (start + t) + " columns needed, capacity " + capacity);
        }
        NDIndex columns = new NDIndex(":, :, {}:{}", start, start + t);
        keys[layer].set(columns, k);
        values[layer].set(columns, v);
        NDIndex written = new NDIndex(":, :, :{}", start + t);
        return new NDArray[] {keys[layer].get(written), values[layer].get(written)};
    }

    @Override
    public void advance(int columns) {
        length += columns;
    }

    /**
     * A store for one forward of continuations: row b of that forward attends over this cache's row b
     * (all columns written so far, padding masked by the caller) followed by its own new columns. This
     * cache is only read, so its prefixes can be continued again.
     */
    public KvStore continuations() {
        return new PrefixSharingKv(this);
    }

    /** Layer {@code layer}'s keys, [B, kvHeads, capacity, headDim] (for copying into slots). */
    NDArray keys(int layer) {
        return keys[layer];
    }

    /** Layer {@code layer}'s values, [B, kvHeads, capacity, headDim]. */
    NDArray values(int layer) {
        return values[layer];
    }

    @Override
    public void close() {
        manager.close();
    }
}
