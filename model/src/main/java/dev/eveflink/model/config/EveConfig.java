package dev.eveflink.model.config;

import java.nio.file.Path;

/**
 * The architecture of an EVE v1 checkpoint, read from its {@code config.json} (LlamaConfig 4.31 plus
 * EVE's {@code mm_*} keys). Immutable and validated: a missing or inconsistent key fails naming it.
 *
 * @param hiddenSize D, the decoder width ({@code hidden_size})
 * @param intermediateSize the SwiGLU width ({@code intermediate_size})
 * @param numLayers decoder layers ({@code num_hidden_layers})
 * @param numHeads query heads ({@code num_attention_heads})
 * @param numKvHeads key/value heads ({@code num_key_value_heads}, defaults to numHeads); fewer than
 *     numHeads means grouped-query attention
 * @param vocabSize rows of {@code embed_tokens} and {@code lm_head}
 * @param rmsNormEps epsilon inside RMSNorm ({@code rms_norm_eps})
 * @param ropeTheta RoPE base ({@code rope_theta}; transformers 4.31 fixed it at 10000)
 * @param maxPositions context length ({@code max_position_embeddings})
 * @param visionWidth C, the patch-embedding width ({@code mm_hidden_size})
 * @param projectorType {@code mlp2x_gelu} or {@code linear} ({@code mm_projector_type})
 * @param visionTower the folder that holds the preprocessor config ({@code mm_vision_tower})
 * @param bosTokenId beginning of sequence
 * @param eosTokenId end of sequence
 * @param padTokenId padding (EVE pads with unk = 0)
 */
public record EveConfig(
        int hiddenSize,
        int intermediateSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int vocabSize,
        double rmsNormEps,
        double ropeTheta,
        int maxPositions,
        int visionWidth,
        String projectorType,
        String visionTower,
        int bosTokenId,
        int eosTokenId,
        int padTokenId) {

    /** EVE hard-codes 8 heads in both cross-attentions of its patch embedding layer. */
    public static final int VISION_HEADS = 8;

    /** LayerNorm epsilon of the patch embedding layer ({@code nn.LayerNorm} default). */
    public static final double VISION_LN_EPS = 1e-5;

    public EveConfig {
        positive("hidden_size", hiddenSize);
        positive("intermediate_size", intermediateSize);
        positive("num_hidden_layers", numLayers);
        positive("num_attention_heads", numHeads);
        positive("num_key_value_heads", numKvHeads);
        positive("vocab_size", vocabSize);
        positive("max_position_embeddings", maxPositions);
        positive("mm_hidden_size", visionWidth);
        if (hiddenSize % numHeads != 0) {
            throw new ConfigException(
                    "hidden_size " + hiddenSize + " is not divisible by num_attention_heads " + numHeads);
        }
        if ((hiddenSize / numHeads) % 2 != 0) {
            throw new ConfigException("head dimension " + hiddenSize / numHeads + " must be even for RoPE");
        }
        if (numHeads % numKvHeads != 0) {
            throw new ConfigException(
                    "num_attention_heads " + numHeads + " is not a multiple of num_key_value_heads " + numKvHeads);
        }
        if (visionWidth % VISION_HEADS != 0) {
            throw new ConfigException(
                    "mm_hidden_size " + visionWidth + " is not divisible by the " + VISION_HEADS + " vision heads");
        }
        if (!(rmsNormEps > 0)) {
            throw new ConfigException("rms_norm_eps must be > 0, got " + rmsNormEps);
        }
        if (!(ropeTheta > 0)) {
            throw new ConfigException("rope_theta must be > 0, got " + ropeTheta);
        }
        if (!"mlp2x_gelu".equals(projectorType) && !"linear".equals(projectorType)) {
            throw new ConfigException(
                    "mm_projector_type '" + projectorType + "' is not supported (mlp2x_gelu or linear)");
        }
        for (int id : new int[] {bosTokenId, eosTokenId, padTokenId}) {
            if (id < 0 || id >= vocabSize) {
                throw new ConfigException("special token id " + id + " is outside the vocabulary of " + vocabSize);
            }
        }
    }

    public int headDim() {
        return hiddenSize / numHeads;
    }

    /** Query heads that share one key/value head (1 without grouped-query attention). */
    public int kvGroups() {
        return numHeads / numKvHeads;
    }

    /** Reads {@code config.json} from a checkpoint directory. */
    public static EveConfig read(Path modelDir) {
        return fromJson(JsonConfig.read(modelDir.resolve("config.json")));
    }

    static EveConfig fromJson(JsonConfig json) {
        String act = json.optString("hidden_act", "silu");
        if (!"silu".equals(act)) {
            throw new ConfigException(json.file() + ": hidden_act '" + act + "' is not supported (silu)");
        }
        if (json.has("rope_scaling")) {
            throw new ConfigException(json.file() + ": rope_scaling " + json.raw("rope_scaling")
                    + " is not supported (EVE v1 uses none)");
        }
        if (json.optBoolean("tie_word_embeddings", false)) {
            throw new ConfigException(json.file() + ": tie_word_embeddings=true is not EVE (its lm_head is untied)");
        }
        if (json.optBoolean("mm_use_im_start_end", false) || json.optBoolean("mm_use_im_patch_token", false)) {
            throw new ConfigException(json.file() + ": mm_use_im_start_end / mm_use_im_patch_token are not supported");
        }
        int heads = json.requireInt("num_attention_heads");
        try {
            return new EveConfig(
                    json.requireInt("hidden_size"),
                    json.requireInt("intermediate_size"),
                    json.requireInt("num_hidden_layers"),
                    heads,
                    json.optInt("num_key_value_heads", heads),
                    json.requireInt("vocab_size"),
                    json.optDouble("rms_norm_eps", 1e-6),
                    json.optDouble("rope_theta", 10000.0),
                    json.requireInt("max_position_embeddings"),
                    json.requireInt("mm_hidden_size"),
                    json.optString("mm_projector_type", "linear"),
                    json.optString("mm_vision_tower", ""),
                    json.optInt("bos_token_id", 1),
                    json.optInt("eos_token_id", 2),
                    json.optInt("pad_token_id", 0));
        } catch (ConfigException e) {
            throw new ConfigException(json.file() + ": " + e.getMessage(), e);
        }
    }

    private static void positive(String key, int value) {
        if (value <= 0) {
            throw new ConfigException(key + " must be > 0, got " + value);
        }
    }
}
