package dev.eveflink.model.decoder;

import ai.djl.ndarray.NDArray;

/** One pre-norm LLaMA block: {@code h = x + attn(norm(x)); out = h + mlp(norm(h))}. */
final class DecoderLayer {
    private final RmsNorm inputNorm;
    private final Attention attention;
    private final RmsNorm postAttentionNorm;
    private final FeedForward feedForward;

    DecoderLayer(RmsNorm inputNorm, Attention attention, RmsNorm postAttentionNorm, FeedForward feedForward) {
        this.inputNorm = inputNorm;
        this.attention = attention;
        this.postAttentionNorm = postAttentionNorm;
        this.feedForward = feedForward;
    }

    /** x: [B, T, D] -> [B, T, D]. */
    NDArray forward(NDArray x, RotaryEmbedding rotary, NDArray[] rope, NDArray mask, KvStore cache, int layer) {
        NDArray h = x.add(attention.forward(inputNorm.apply(x), rotary, rope, mask, cache, layer));
        return h.add(feedForward.forward(postAttentionNorm.apply(h)));
    }
}
