package dev.eveflink.model.testutil;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.eveflink.model.vision.VisualInput;
import dev.eveflink.model.weights.SafetensorsWriter;
import dev.eveflink.model.weights.SafetensorsWriter.TensorSpec;
import dev.eveflink.model.weights.TensorDType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes a complete random EVE checkpoint directory for a given architecture: {@code config.json}
 * with the key set of the golden one, {@code preprocessor_config.json}, {@code model.safetensors}
 * holding every inference tensor at its shape, and the golden tokenizer files. Weights are seeded
 * normal draws: std 0.02 for biases and most projections, golden-like larger gains where they keep
 * a random model's logits spread out (embeddings 0.1, q/k 0.1, v/o/MLP 0.05, lm_head 0.3, PEL
 * linears 0.1, class/split embeddings 0.5), and norm weights {@code 1 + 0.1 * N(0, 1)}, so that a
 * forward-pass bug moves the logits far beyond test tolerances, as in the golden set.
 */
public final class RandomCheckpoint {

    /**
     * An EVE architecture. The processor uses {@code patch_stride_clip = patchStride} and
     * {@code conv_stride = 2}, as EVE-7B does, so {@code imageSize / imageSizeClip} must be even.
     */
    public record Spec(
            int hidden,
            int intermediate,
            int layers,
            int heads,
            int kvHeads,
            int vocab,
            int visionWidth,
            int patchStride,
            int imageSize,
            int imageSizeClip,
            int maxPositions) {
        public Spec {
            if (hidden % heads != 0 || heads % kvHeads != 0 || visionWidth % 8 != 0) {
                throw new IllegalArgumentException("inconsistent heads/widths: " + hidden + "/" + heads + "/"
                        + kvHeads + ", vision width " + visionWidth);
            }
        }

        public int headDim() {
            return hidden / heads;
        }

        /** Side of one pooled cell in pixels (patch_stride * conv_stride). */
        public int cell() {
            return patchStride * 2;
        }
    }

    /** The golden eve-tiny architecture (MHA). */
    public static final Spec EVE_TINY = new Spec(64, 172, 2, 4, 4, 320, 32, 4, 64, 32, 2048);

    /** A benchmark size: LLaMA hidden 512 x 8 layers, PEL width 256, EVE's patch 14 on a 448 canvas. */
    public static final Spec BENCH_S = new Spec(512, 1376, 8, 8, 8, 320, 256, 14, 448, 224, 2048);

    private RandomCheckpoint() {}

    /** Writes the checkpoint into {@code dir} (created if needed) and returns {@code dir}. */
    public static Path write(Path dir, Spec spec, long seed) {
        return write(dir, spec, seed, GoldenCases.DEFAULT_ROOT);
    }

    /** As {@link #write(Path, Spec, long)}, with the golden folder (config templates, tokenizer) given. */
    public static Path write(Path dir, Spec spec, long seed, Path golden) {
        try {
            Files.createDirectories(dir);
            writeConfig(golden, dir, spec);
            writePreprocessorConfig(golden, dir, spec);
            for (String f : List.of("tokenizer.model", "tokenizer_config.json", "special_tokens_map.json",
                    "generation_config.json")) {
                Files.copy(golden.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
            writeWeights(dir.resolve("model.safetensors"), spec, new Random(seed));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a random checkpoint to " + dir, e);
        }
    }

    /** Random normalised pixels of an image rectangle (both sides multiples of {@link Spec#cell()}). */
    public static VisualInput randomImage(Random random, int height, int width) {
        float[] chw = new float[3 * height * width];
        for (int i = 0; i < chw.length; i++) {
            chw[i] = (float) random.nextGaussian();
        }
        return new VisualInput(chw, height, width);
    }

    private static void writeConfig(Path golden, Path dir, Spec s) throws IOException {
        JsonObject c = readJson(golden.resolve("config.json"));
        c.addProperty("_name_or_path", "eve-random-" + s.hidden() + "x" + s.layers());
        c.addProperty("hidden_size", s.hidden());
        c.addProperty("intermediate_size", s.intermediate());
        c.addProperty("num_hidden_layers", s.layers());
        c.addProperty("num_attention_heads", s.heads());
        c.addProperty("num_key_value_heads", s.kvHeads());
        c.addProperty("vocab_size", s.vocab());
        c.addProperty("mm_hidden_size", s.visionWidth());
        c.addProperty("max_position_embeddings", s.maxPositions());
        c.addProperty("mm_vision_tower", "openai/eve-patch" + s.patchStride() + "-anypixel-" + s.imageSize());
        writeJson(dir.resolve("config.json"), c);
    }

    private static void writePreprocessorConfig(Path golden, Path dir, Spec s) throws IOException {
        JsonObject p = readJson(golden.resolve("preprocessor_config.json"));
        p.addProperty("image_size", s.imageSize());
        p.addProperty("image_size_clip", s.imageSizeClip());
        p.addProperty("patch_stride", s.patchStride());
        p.addProperty("patch_stride_clip", s.patchStride());
        p.addProperty("conv_stride", 2);
        writeJson(dir.resolve("preprocessor_config.json"), p);
    }

    private static JsonObject readJson(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
    }

    private static void writeJson(Path file, JsonObject json) throws IOException {
        Files.writeString(file, new GsonBuilder().setPrettyPrinting().create().toJson(json) + "\n",
                StandardCharsets.UTF_8);
    }

    /** One tensor to draw: normal(mean, std) of the given shape. */
    private record Draw(String name, double mean, double std, long... shape) {}

    private static List<Draw> layout(Spec s) {
        long d = s.hidden();
        long q = (long) s.heads() * s.headDim();
        long kv = (long) s.kvHeads() * s.headDim();
        long inter = s.intermediate();
        long c = s.visionWidth();
        long p = s.patchStride();
        List<Draw> t = new ArrayList<>();
        t.add(new Draw("lm_head.weight", 0, 0.3, s.vocab(), d));
        t.add(new Draw("model.embed_tokens.weight", 0, 0.1, s.vocab(), d));
        for (int l = 0; l < s.layers(); l++) {
            String n = "model.layers." + l + ".";
            t.add(new Draw(n + "input_layernorm.weight", 1, 0.1, d));
            t.add(new Draw(n + "self_attn.q_proj.weight", 0, 0.1, q, d));
            t.add(new Draw(n + "self_attn.k_proj.weight", 0, 0.1, kv, d));
            t.add(new Draw(n + "self_attn.v_proj.weight", 0, 0.05, kv, d));
            t.add(new Draw(n + "self_attn.o_proj.weight", 0, 0.05, d, q));
            t.add(new Draw(n + "post_attention_layernorm.weight", 1, 0.1, d));
            t.add(new Draw(n + "mlp.gate_proj.weight", 0, 0.05, inter, d));
            t.add(new Draw(n + "mlp.up_proj.weight", 0, 0.05, inter, d));
            t.add(new Draw(n + "mlp.down_proj.weight", 0, 0.05, d, inter));
        }
        t.add(new Draw("model.norm.weight", 1, 0.1, d));
        t.add(new Draw("model.mm_projector.0.weight", 0, 0.05, d, c));
        t.add(new Draw("model.mm_projector.0.bias", 0, 0.02, d));
        t.add(new Draw("model.mm_projector.2.weight", 0, 0.05, d, d));
        t.add(new Draw("model.mm_projector.2.bias", 0, 0.02, d));
        String v = "model.vision_tower.";
        t.add(new Draw(v + "patch_embedding.weight", 0, 0.02, c, 3, p, p));
        t.add(new Draw(v + "class_embedding", 0, 0.5, c));
        t.add(new Draw(v + "split_embedding", 0, 0.5, c));
        for (String a : List.of("local_attention.", "global_attention.")) {
            t.add(new Draw(v + a + "q.0.weight", 1, 0.1, c));
            t.add(new Draw(v + a + "q.0.bias", 0, 0.02, c));
            t.add(new Draw(v + a + "q.1.weight", 0, 0.1, c, c));
            t.add(new Draw(v + a + "kv.0.weight", 1, 0.1, c));
            t.add(new Draw(v + a + "kv.0.bias", 0, 0.02, c));
            t.add(new Draw(v + a + "kv.1.weight", 0, 0.1, 2 * c, c));
            t.add(new Draw(v + a + "proj.weight", 0, 0.1, c, c));
            t.add(new Draw(v + a + "proj.bias", 0, 0.02, c));
        }
        return t;
    }

    private static void writeWeights(Path file, Spec s, Random random) throws IOException {
        List<Draw> draws = layout(s);
        List<TensorSpec> specs = draws.stream().map(dr -> new TensorSpec(dr.name(), TensorDType.F32, dr.shape()))
                .toList();
        try (SafetensorsWriter writer = SafetensorsWriter.create(file, specs, Map.of("format", "pt"))) {
            for (int i = 0; i < draws.size(); i++) {
                Draw dr = draws.get(i);
                float[] values = new float[Math.toIntExact(specs.get(i).numel())];
                for (int j = 0; j < values.length; j++) {
                    values[j] = (float) (dr.mean() + dr.std() * random.nextGaussian());
                }
                writer.write(dr.name(), values);
            }
        }
    }
}
