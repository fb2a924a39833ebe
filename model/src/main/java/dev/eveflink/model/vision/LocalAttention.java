package dev.eveflink.model.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import dev.eveflink.model.config.EveConfig;

/**
 * CA1, EVE's {@code local_attention}: each pooled cell queries only the 2x2 window of conv patches
 * it was pooled from (the restricted receptive field). 8 heads, scale {@code C^-0.5} (the full width,
 * not the head width: EVE's quirk), residual from the un-normalised pooled features.
 */
final class LocalAttention {
    private final CrossAttentionWeights w;
    private final int width;
    private final int headDim;
    private final float scale;

    LocalAttention(CrossAttentionWeights weights, int width) {
        this.w = weights;
        this.width = width;
        this.headDim = width / EveConfig.VISION_HEADS;
        this.scale = (float) Math.pow(width, -0.5);
    }

    /**
     * @param pooled [N, C] 2x2-averaged conv features, N = h*w row-major
     * @param members [N, 4, C] each cell's four conv patches
     * @return [N, C]
     */
    NDArray forward(NDArray pooled, NDArray members) {
        long n = pooled.getShape().get(0);
        int heads = EveConfig.VISION_HEADS;
        Shape c = new Shape(width);
        float eps = (float) EveConfig.VISION_LN_EPS;
        NDArray q = Linear.linear(
                LayerNorm.layerNorm(pooled, c, w.queryNormWeight(), w.queryNormBias(), eps).singletonOrThrow(),
                w.query()).singletonOrThrow(); // [N, C]
        NDArray kv = Linear.linear(
                LayerNorm.layerNorm(members, c, w.kvNormWeight(), w.kvNormBias(), eps).singletonOrThrow(),
                w.keyValue()).singletonOrThrow(); // [N, 4, 2C]
        NDArray k = kv.get("..., :{}", width).reshape(n, 4, heads, headDim); // [N, 4, nh, dh]
        NDArray v = kv.get("..., {}:", width).reshape(n, 4, heads, headDim); // [N, 4, nh, dh]
        NDArray qh = q.mul(scale).reshape(n, 1, heads, headDim); // [N, 1, nh, dh]
        NDArray scores = qh.mul(k).sum(new int[] {3}, true); // [N, 4, nh, 1]
        NDArray attn = scores.softmax(1); // over the 4 window members, per head
        NDArray context = attn.mul(v).sum(new int[] {1}).reshape(n, width); // [N, nh*dh] head-major
        return pooled.add(Linear.linear(context, w.proj(), w.projBias()).singletonOrThrow()); // [N, C]
    }
}
