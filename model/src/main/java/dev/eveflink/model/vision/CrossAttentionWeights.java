package dev.eveflink.model.vision;

import ai.djl.ndarray.NDArray;
import dev.eveflink.model.weights.WeightMap;

/**
 * The eight tensors of one EVE cross-attention ({@code local_attention} or {@code global_attention}):
 * a LayerNorm and a bias-free linear for the query ({@code q.0}, {@code q.1}), the same for keys and
 * values ({@code kv.0}, {@code kv.1}, whose output channels [0, C) are K and [C, 2C) are V), and an
 * output projection with bias.
 */
record CrossAttentionWeights(
        NDArray queryNormWeight, // [C]
        NDArray queryNormBias, // [C]
        NDArray query, // [C, C]
        NDArray kvNormWeight, // [C]
        NDArray kvNormBias, // [C]
        NDArray keyValue, // [2C, C]
        NDArray proj, // [C, C]
        NDArray projBias) { // [C]

    static CrossAttentionWeights load(WeightMap weights, String prefix, long c) {
        return new CrossAttentionWeights(
                weights.get(prefix + "q.0.weight", c),
                weights.get(prefix + "q.0.bias", c),
                weights.get(prefix + "q.1.weight", c, c),
                weights.get(prefix + "kv.0.weight", c),
                weights.get(prefix + "kv.0.bias", c),
                weights.get(prefix + "kv.1.weight", 2 * c, c),
                weights.get(prefix + "proj.weight", c, c),
                weights.get(prefix + "proj.bias", c));
    }
}
