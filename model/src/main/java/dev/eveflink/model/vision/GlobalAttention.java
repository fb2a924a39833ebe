package dev.eveflink.model.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import dev.eveflink.model.config.EveConfig;

/**
 * CA2, EVE's {@code global_attention}: the learned class embedding queries every CA1 output of the
 * image; the result (plus the class embedding itself) becomes the CLS token. Same head count and
 * {@code C^-0.5} scale as CA1.
 */
final class GlobalAttention {
    private final CrossAttentionWeights w;
    private final NDArray classEmbedding; // [C]
    private final int width;
    private final int headDim;
    private final float scale;

    GlobalAttention(CrossAttentionWeights weights, NDArray classEmbedding, int width) {
        this.w = weights;
        this.classEmbedding = classEmbedding;
        this.width = width;
        this.headDim = width / EveConfig.VISION_HEADS;
        this.scale = (float) Math.pow(width, -0.5);
    }

    /** tokens [N, C] (CA1 outputs) -> cls [1, C]. */
    NDArray forward(NDArray tokens) {
        long n = tokens.getShape().get(0);
        int heads = EveConfig.VISION_HEADS;
        Shape c = new Shape(width);
        float eps = (float) EveConfig.VISION_LN_EPS;
        // The query is built from a weight: keep the tokens' manager by reshaping the weight view first.
        NDArray query0 = tokens.getManager().zeros(new Shape(1, width), tokens.getDataType()).add(classEmbedding);
        NDArray q = Linear.linear(
                LayerNorm.layerNorm(query0, c, w.queryNormWeight(), w.queryNormBias(), eps).singletonOrThrow(),
                w.query()).singletonOrThrow(); // [1, C]
        NDArray kv = Linear.linear(
                LayerNorm.layerNorm(tokens, c, w.kvNormWeight(), w.kvNormBias(), eps).singletonOrThrow(),
                w.keyValue()).singletonOrThrow(); // [N, 2C]
        NDArray k = kv.get(":, :{}", width).reshape(n, heads, headDim); // [N, nh, dh]
        NDArray v = kv.get(":, {}:", width).reshape(n, heads, headDim); // [N, nh, dh]
        NDArray qh = q.mul(scale).reshape(1, heads, headDim); // [1, nh, dh]
        NDArray scores = qh.mul(k).sum(new int[] {2}, true); // [N, nh, 1]
        NDArray attn = scores.softmax(0); // over all N tokens, per head
        NDArray context = attn.mul(v).sum(new int[] {0}).reshape(1, width); // [1, C]
        return query0.add(Linear.linear(context, w.proj(), w.projBias()).singletonOrThrow()); // [1, C]
    }
}
