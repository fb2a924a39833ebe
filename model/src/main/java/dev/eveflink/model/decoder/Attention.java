package dev.eveflink.model.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.core.Linear;

/**
 * LLaMA self-attention with grouped-query support: scores {@code q.k^T / sqrt(headDim)} plus an
 * additive mask, softmax in float32, no biases. K and V go through the batch's {@link KvCache}.
 */
final class Attention {
    private final NDArray wq; // [H*hd, D]
    private final NDArray wk; // [KvH*hd, D]
    private final NDArray wv; // [KvH*hd, D]
    private final NDArray wo; // [D, H*hd]
    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final float scale;

    Attention(NDArray wq, NDArray wk, NDArray wv, NDArray wo, int heads, int kvHeads, int headDim) {
        this.wq = wq;
        this.wk = wk;
        this.wv = wv;
        this.wo = wo;
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.scale = (float) Math.sqrt(headDim);
    }

    /**
     * @param x [B, T, D] normalised hidden states
     * @param rope cos/sin from {@link RotaryEmbedding#angles}, [B, 1, T, hd] each
     * @param mask additive mask [B, 1, T, S] over the keys the store returns (0 = attend, very negative = not)
     * @return [B, T, D]
     */
    NDArray forward(NDArray x, RotaryEmbedding rotary, NDArray[] rope, NDArray mask, KvStore cache, int layer) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        NDArray q = project(x, wq, heads); // [B, H, T, hd]
        NDArray k = project(x, wk, kvHeads); // [B, KvH, T, hd]
        NDArray v = project(x, wv, kvHeads); // [B, KvH, T, hd]
        q = rotary.apply(q, rope[0], rope[1]);
        k = rotary.apply(k, rope[0], rope[1]);
        NDArray[] kv = cache.append(layer, k, v); // [B, KvH, S, hd] each
        NDArray keys = kv[0];
        NDArray values = kv[1];
        if (kvHeads != heads) {
            // Query head h reads key/value head h / groups (repeat_interleave over the head axis).
            keys = keys.repeat(1, heads / kvHeads); // [B, H, S, hd]
            values = values.repeat(1, heads / kvHeads);
        }
        NDArray scores = q.matMul(keys.transpose(0, 1, 3, 2)).div(scale); // [B, H, T, S]
        DataType type = scores.getDataType();
        if (type != DataType.FLOAT32) {
            scores = scores.toType(DataType.FLOAT32, false);
        }
        NDArray probs = scores.add(mask).softmax(-1); // [B, H, T, S], float32
        if (type != DataType.FLOAT32) {
            probs = probs.toType(type, false);
        }
        NDArray context = probs.matMul(values) // [B, H, T, hd]
                .transpose(0, 2, 1, 3)
                .reshape(b, t, (long) heads * headDim); // [B, T, H*hd]
        return Linear.linear(context, wo).singletonOrThrow(); // [B, T, D]
    }

    /** x [B, T, D] -> [B, n, T, hd]. */
    private NDArray project(NDArray x, NDArray w, int n) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        return Linear.linear(x, w).singletonOrThrow().reshape(b, t, n, headDim).transpose(0, 2, 1, 3);
    }
}
