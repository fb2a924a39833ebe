package dev.eveflink.model.weights;

import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The loader rule for EVE checkpoints: exactly the tensors inference reads. Everything else the
 * published shards carry (the CLIP teacher {@code vision_clip.*} and its alias under
 * {@code vision_tower_compressor.clip_layer.*}, the Patch Aligning Layer, the rotary
 * {@code inv_freq} buffers, which are recomputed) is skipped.
 */
public final class InferenceTensors {
    private static final Pattern EVE_INFERENCE = Pattern.compile(
            "model\\.embed_tokens\\.weight"
                    + "|model\\.layers\\.\\d+\\.self_attn\\.[qkvo]_proj\\.(weight|bias)"
                    + "|model\\.layers\\.\\d+\\.mlp\\.(gate|up|down)_proj\\.(weight|bias)"
                    + "|model\\.layers\\.\\d+\\.(input_layernorm|post_attention_layernorm)\\.weight"
                    + "|model\\.norm\\.weight"
                    + "|model\\.vision_tower\\..+"
                    + "|model\\.mm_projector\\..+"
                    + "|lm_head\\.(weight|bias)");

    private InferenceTensors() {}

    /**
     * The EVE rule. Linear biases are kept although LLaMA has none, so that an unexpected bias fails
     * {@link WeightMap#assertAllUsed()} instead of being dropped silently.
     */
    public static Predicate<String> eve() {
        return name -> EVE_INFERENCE.matcher(name).matches();
    }

    /** Keeps every tensor (for tools and tests). */
    public static Predicate<String> all() {
        return name -> true;
    }
}
