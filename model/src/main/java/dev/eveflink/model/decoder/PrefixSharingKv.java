package dev.eveflink.model.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;

/**
 * The store of one forward that continues prefilled prefixes without writing to them: row b
 * attends over the columns of prefix row b (read from the prefill cache, which stays untouched, so
 * the same prefix can be continued many times) followed by the new columns of this forward. Several
 * continuations of one prefix are packed side by side in one row, and the caller's mask keeps each
 * one from seeing the others. Nothing is persisted: the concatenated keys/values live in the
 * forward's scope and die with it.
 */
final class PrefixSharingKv implements KvStore {
    private final KvCache prefixes;

    PrefixSharingKv(KvCache prefixes) {
        this.prefixes = prefixes;
    }

    /**
     * @param k [B, KvH, T, hd]
     * @param v [B, KvH, T, hd]
     * @return {keys, values}, [B, KvH, P + T, hd] each: the P prefix columns, then the T new ones
     */
    @Override
    public NDArray[] append(int layer, NDArray k, NDArray v) {
        NDIndex written = new NDIndex(":, :, :{}", prefixes.length());
        // k's manager first: the copies belong to the forward's scope, not to the long-lived cache.
        NDArray prefixKeys = prefixes.keys(layer).get(k.getManager(), written); // [B, KvH, P, hd]
        NDArray prefixValues = prefixes.values(layer).get(k.getManager(), written); // [B, KvH, P, hd]
        return new NDArray[] {
            NDArrays.concat(new NDList(prefixKeys, k), 2), // [B, KvH, P + T, hd]
            NDArrays.concat(new NDList(prefixValues, v), 2)
        };
    }

    @Override
    public void advance(int columns) {
        // Nothing to keep: the continuations' keys and values are not needed after this forward.
    }
}
