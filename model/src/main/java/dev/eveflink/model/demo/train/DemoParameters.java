package dev.eveflink.model.demo.train;

import dev.eveflink.model.demo.world.Background;
import dev.eveflink.model.demo.world.ShapeColor;
import dev.eveflink.model.demo.world.ShapeKind;
import dev.eveflink.model.weights.SafetensorsWriter.FloatTensor;
import dev.eveflink.model.weights.SafetensorsWriter.TensorSpec;
import dev.eveflink.model.weights.TensorDType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Every trainable tensor of the demo model with its initial value: EVE's inference tensors under their
 * checkpoint names, plus the training-only heads under {@code model.vision_tower_compressor.*} (the prefix of
 * EVE's own training-only patch aligning layer, which the inference loader skips).
 */
public final class DemoParameters {
    /** Prefix of the training-only heads; never part of the published model. */
    public static final String TRAINING_ONLY_PREFIX = "model.vision_tower_compressor.";
    public static final String CELL_KIND = TRAINING_ONLY_PREFIX + "cell_kind.";
    public static final String CELL_COLOR = TRAINING_ONLY_PREFIX + "cell_color.";
    public static final String SHAPE_LIST = TRAINING_ONLY_PREFIX + "shape_list.";

    /** Cell kind classes: background, then each {@link ShapeKind}. */
    public static final int KIND_CLASSES = 1 + ShapeKind.values().length;
    /** Cell color classes: each {@link ShapeColor}, then each {@link Background}. */
    public static final int COLOR_CLASSES = ShapeColor.values().length + Background.values().length;
    /** Shape-list slots (left to right). */
    public static final int SLOTS = 3;
    /** Per slot: kind (none + kinds) and color (none + colors). */
    public static final int SLOT_COLOR_CLASSES = 1 + ShapeColor.values().length;
    public static final int SHAPE_LIST_OUTPUTS = SLOTS * (KIND_CLASSES + SLOT_COLOR_CLASSES);

    private DemoParameters() {}

    /** Whether a tensor belongs to the vision side (PEL, projector, training-only heads). */
    public static boolean isVision(String name) {
        return name.startsWith("model.vision_tower") || name.startsWith("model.mm_projector.");
    }

    public static boolean isTrainingOnly(String name) {
        return name.startsWith(TRAINING_ONLY_PREFIX);
    }

    /** Initial values drawn from {@code seed}: LLaMA-style N(0, 0.02) linears, unit norms, zero biases. */
    public static List<FloatTensor> initial(DemoModelSpec s, int vocab, long seed) {
        Random random = new Random(seed);
        List<FloatTensor> t = new ArrayList<>();
        long d = s.hidden();
        long inter = s.intermediate();
        long c = s.visionWidth();
        long p = s.patchStride();
        double residual = 0.02 / Math.sqrt(2.0 * s.layers()); // GPT-2 style scaling of residual outputs
        t.add(normal(random, "lm_head.weight", 0.02, vocab, d));
        t.add(normal(random, "model.embed_tokens.weight", 0.02, vocab, d));
        for (int l = 0; l < s.layers(); l++) {
            String n = "model.layers." + l + ".";
            t.add(constant(n + "input_layernorm.weight", 1f, d));
            t.add(normal(random, n + "self_attn.q_proj.weight", 0.02, d, d));
            t.add(normal(random, n + "self_attn.k_proj.weight", 0.02, d, d));
            t.add(normal(random, n + "self_attn.v_proj.weight", 0.02, d, d));
            t.add(normal(random, n + "self_attn.o_proj.weight", residual, d, d));
            t.add(constant(n + "post_attention_layernorm.weight", 1f, d));
            t.add(normal(random, n + "mlp.gate_proj.weight", 0.02, inter, d));
            t.add(normal(random, n + "mlp.up_proj.weight", 0.02, inter, d));
            t.add(normal(random, n + "mlp.down_proj.weight", residual, d, inter));
        }
        t.add(constant("model.norm.weight", 1f, d));
        t.add(normal(random, "model.mm_projector.0.weight", 1 / Math.sqrt(c), d, c));
        t.add(constant("model.mm_projector.0.bias", 0f, d));
        t.add(normal(random, "model.mm_projector.2.weight", 1 / Math.sqrt(d), d, d));
        t.add(constant("model.mm_projector.2.bias", 0f, d));
        String v = "model.vision_tower.";
        t.add(normal(random, v + "patch_embedding.weight", 1 / Math.sqrt(3.0 * p * p), c, 3, p, p));
        t.add(normal(random, v + "class_embedding", 0.02, c));
        t.add(normal(random, v + "split_embedding", 0.02, c));
        for (String a : List.of("local_attention.", "global_attention.")) {
            t.add(constant(v + a + "q.0.weight", 1f, c));
            t.add(constant(v + a + "q.0.bias", 0f, c));
            t.add(normal(random, v + a + "q.1.weight", 1 / Math.sqrt(c), c, c));
            t.add(constant(v + a + "kv.0.weight", 1f, c));
            t.add(constant(v + a + "kv.0.bias", 0f, c));
            t.add(normal(random, v + a + "kv.1.weight", 1 / Math.sqrt(c), 2 * c, c));
            t.add(normal(random, v + a + "proj.weight", 1 / Math.sqrt(c), c, c));
            t.add(constant(v + a + "proj.bias", 0f, c));
        }
        t.add(normal(random, CELL_KIND + "weight", 0.02, KIND_CLASSES, d));
        t.add(constant(CELL_KIND + "bias", 0f, KIND_CLASSES));
        t.add(normal(random, CELL_COLOR + "weight", 0.02, COLOR_CLASSES, d));
        t.add(constant(CELL_COLOR + "bias", 0f, COLOR_CLASSES));
        t.add(normal(random, SHAPE_LIST + "weight", 0.02, SHAPE_LIST_OUTPUTS, d));
        t.add(constant(SHAPE_LIST + "bias", 0f, SHAPE_LIST_OUTPUTS));
        return t;
    }

    private static FloatTensor normal(Random random, String name, double std, long... shape) {
        TensorSpec spec = new TensorSpec(name, TensorDType.F32, shape);
        float[] values = new float[Math.toIntExact(spec.numel())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (std * random.nextGaussian());
        }
        return new FloatTensor(spec, values);
    }

    private static FloatTensor constant(String name, float value, long... shape) {
        TensorSpec spec = new TensorSpec(name, TensorDType.F32, shape);
        float[] values = new float[Math.toIntExact(spec.numel())];
        java.util.Arrays.fill(values, value);
        return new FloatTensor(spec, values);
    }
}
