package dev.eveflink.model.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;

/**
 * The store of one forward over suffixes that continue prefilled prefixes: row r attends over the
 * columns of its prefix (row {@code groups[r]} of a prefill cache, gathered, so several rows may read
 * the same prefix) followed by its own new columns. Nothing is persisted: the gathered prefix and the
 * new keys/values live in the forward's scope and die with it.
 */
final class PrefixSharingKv implements KvStore {
    private final KvCache prefixes;
    private final NDArray groups; // int64 [R]: the prefix row each suffix row continues

    PrefixSharingKv(KvCache prefixes, NDArray groups) {
        this.prefixes = prefixes;
        this.groups = groups;
    }

    /**
     * @param k [R, KvH, T, hd]
     * @param v [R, KvH, T, hd]
     * @return {keys, values}, [R, KvH, P + T, hd] each: the P prefix columns, then the T new ones
     */
    @Override
    public NDArray[] append(int layer, NDArray k, NDArray v) {
        NDIndex rows = new NDIndex("{}, :, :{}", groups, prefixes.length());
        // k first: the gathered copies belong to the forward's scope, not to the long-lived cache.
        NDArray prefixKeys = prefixes.keys(layer).get(k.getManager(), rows); // [R, KvH, P, hd]
        NDArray prefixValues = prefixes.values(layer).get(k.getManager(), rows); // [R, KvH, P, hd]
        return new NDArray[] {
            NDArrays.concat(new NDList(prefixKeys, k), 2), // [R, KvH, P + T, hd]
            NDArrays.concat(new NDList(prefixValues, v), 2)
        };
    }

    @Override
    public void advance(int columns) {
        // Nothing to keep: the suffixes' keys and values are not needed after this forward.
    }
}
