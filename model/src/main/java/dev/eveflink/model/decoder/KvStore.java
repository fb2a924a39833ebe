package dev.eveflink.model.decoder;

import ai.djl.ndarray.NDArray;

/**
 * Where one forward's keys and values go, and what its queries attend over. A prefill batch
 * ({@link KvCache}) appends columns shared by all rows; a decode step over slots
 * ({@link SlotKvCache}) writes each row at its own column.
 */
public interface KvStore {

    /**
     * Stores the new tokens' keys and values of one layer.
     *
     * @param k [B, KvH, T, hd]
     * @param v [B, KvH, T, hd]
     * @return {keys, values} the new tokens attend over, [B, KvH, S, hd] each (the mask says which)
     */
    NDArray[] append(int layer, NDArray k, NDArray v);

    /** Called once after every layer of a forward stored its T new columns. */
    void advance(int columns);
}
