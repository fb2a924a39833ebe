package dev.eveflink.model.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.core.Linear;
import dev.eveflink.model.config.EveConfig;
import dev.eveflink.model.weights.WeightMap;

/**
 * The LLaMA-2 decoder of EVE (Vicuna-7B-v1.5 in the real model): token embeddings, N pre-norm
 * blocks, a final RMSNorm and an untied {@code lm_head}. Stateless apart from its weights; the per
 * batch state lives in a {@link KvCache}.
 */
public final class LlamaDecoder {
    private final EveConfig config;
    private final NDArray embedTokens; // [V, D]
    private final DecoderLayer[] layers;
    private final RmsNorm finalNorm;
    private final NDArray lmHead; // [V, D]
    private final RotaryEmbedding rotary;
    private final DataType type;

    public LlamaDecoder(EveConfig config, WeightMap weights, NDManager manager, DataType type) {
        this.config = config;
        this.type = type;
        long d = config.hiddenSize();
        long v = config.vocabSize();
        long inter = config.intermediateSize();
        long qOut = (long) config.numHeads() * config.headDim();
        long kvOut = (long) config.numKvHeads() * config.headDim();
        this.embedTokens = weights.get("model.embed_tokens.weight", v, d);
        this.layers = new DecoderLayer[config.numLayers()];
        for (int i = 0; i < layers.length; i++) {
            String p = "model.layers." + i + ".";
            Attention attention = new Attention(
                    weights.get(p + "self_attn.q_proj.weight", qOut, d),
                    weights.get(p + "self_attn.k_proj.weight", kvOut, d),
                    weights.get(p + "self_attn.v_proj.weight", kvOut, d),
                    weights.get(p + "self_attn.o_proj.weight", d, qOut),
                    config.numHeads(), config.numKvHeads(), config.headDim());
            FeedForward mlp = new FeedForward(
                    weights.get(p + "mlp.gate_proj.weight", inter, d),
                    weights.get(p + "mlp.up_proj.weight", inter, d),
                    weights.get(p + "mlp.down_proj.weight", d, inter));
            layers[i] = new DecoderLayer(
                    new RmsNorm(weights.get(p + "input_layernorm.weight", d), config.rmsNormEps()),
                    attention,
                    new RmsNorm(weights.get(p + "post_attention_layernorm.weight", d), config.rmsNormEps()),
                    mlp);
        }
        this.finalNorm = new RmsNorm(weights.get("model.norm.weight", d), config.rmsNormEps());
        this.lmHead = weights.get("lm_head.weight", v, d);
        this.rotary = new RotaryEmbedding(manager, config.headDim(), config.maxPositions(), config.ropeTheta(), type);
    }

    public EveConfig config() {
        return config;
    }

    public DataType dataType() {
        return type;
    }

    /** Looks up token embeddings: ids int64 [N] -> [N, D], owned by {@code scope}. */
    public NDArray embed(NDManager scope, NDArray ids) {
        return embedTokens.get(scope, new NDIndex("{}", ids));
    }

    /**
     * Runs every layer over new columns and writes their keys/values into the cache.
     *
     * @param embeds [B, T, D] input embeddings (text and visual rows already spliced)
     * @param positions int64 [B, T] RoPE positions of each token
     * @param mask additive float32 mask [B, 1, T, S] over the keys the store returns
     * @param cache where the new keys/values go (a prefill batch's cache, or one decode step over slots)
     * @param layerOutputs if not null, receives the residual stream after each layer (debugging)
     * @return the final-norm hidden states [B, T, D]
     */
    public NDArray forward(NDManager scope, NDArray embeds, NDArray positions, NDArray mask, KvStore cache,
            NDArray[] layerOutputs) {
        NDArray[] rope = rotary.angles(scope, positions);
        NDArray x = embeds;
        for (int l = 0; l < layers.length; l++) {
            x = layers[l].forward(x, rotary, rope, mask, cache, l);
            if (layerOutputs != null) {
                layerOutputs[l] = x;
            }
        }
        cache.advance((int) embeds.getShape().get(1));
        return finalNorm.apply(x);
    }

    /** hidden [..., D] -> logits [..., V]. */
    public NDArray logits(NDArray hidden) {
        return Linear.linear(hidden, lmHead).singletonOrThrow();
    }

    /** A prefill batch's cache: {@code batch} rows of {@code capacity} shared columns. */
    public KvCache newCache(NDManager parent, int batch, int capacity) {
        return new KvCache(parent, layers.length, batch, config.numKvHeads(), capacity, config.headDim(), type);
    }

    /** A continuous batch's cache: {@code slots} sequences of up to {@code capacity} positions each. */
    public SlotKvCache newSlotCache(NDManager parent, int slots, int capacity) {
        if (capacity > config.maxPositions()) {
            throw new IllegalArgumentException("slot capacity " + capacity
                    + " exceeds max_position_embeddings " + config.maxPositions());
        }
        return new SlotKvCache(parent, layers.length, slots, config.numKvHeads(), capacity, config.headDim(), type);
    }
}
