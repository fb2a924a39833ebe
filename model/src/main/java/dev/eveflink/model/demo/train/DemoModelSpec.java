package dev.eveflink.model.demo.train;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.eveflink.model.config.PreprocessorConfig;
import dev.eveflink.model.tokenizer.SentencePieceModel.Piece;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The architecture and image constants of the demo model, and the published non-weight files of a model
 * directory ({@code config.json}, {@code preprocessor_config.json}, {@code generation_config.json},
 * {@code tokenizer.model}, {@code tokenizer_config.json}, {@code special_tokens_map.json}).
 *
 * <p>Default image constants: patch 8, conv_stride 2 (a 16-pixel token cell), image_size 128, image_size_clip
 * 64, patch_stride_clip 8 (ratio 2, like EVE-7B; 8*2 is a multiple of 8*2). A square image becomes an 8x8
 * grid, {@code 1 + 8*9 = 73} visual tokens, a 2:1 image 8x4 (41). World shapes (35..50% of the short side)
 * then span 2.8..4 token cells and 5.6..8 conv patches on a square image: enough for kind and order, at
 * about half the cost of the trial run's 133 tokens.
 */
public record DemoModelSpec(
        int hidden,
        int intermediate,
        int layers,
        int heads,
        int visionWidth,
        int patchStride,
        int imageSize,
        int imageSizeClip,
        int maxPositions) {

    /** The suggested demo size: hidden 128, 4 layers, 4 heads, SwiGLU 344, PEL width 128. */
    public static final DemoModelSpec DEMO = new DemoModelSpec(128, 344, 4, 4, 128, 8, 128, 64, 1024);

    /** A tiny size for tests. */
    public static final DemoModelSpec TINY = new DemoModelSpec(32, 64, 1, 2, 16, 8, 64, 32, 1024);

    public DemoModelSpec {
        if (hidden % heads != 0 || (hidden / heads) % 2 != 0 || visionWidth % 8 != 0) {
            throw new IllegalArgumentException("hidden " + hidden + " / heads " + heads + " must give an even head"
                    + " dimension and the PEL width " + visionWidth + " must be a multiple of 8");
        }
        preprocessor(imageSize, imageSizeClip, patchStride); // validates EVE's image rules
    }

    public static final int CONV_STRIDE = 2;

    /** The image constants as EVE's processor reads them. */
    public PreprocessorConfig preprocessor() {
        return preprocessor(imageSize, imageSizeClip, patchStride);
    }

    private static PreprocessorConfig preprocessor(int imageSize, int imageSizeClip, int patchStride) {
        return new PreprocessorConfig(imageSize, imageSizeClip, patchStride, CONV_STRIDE, patchStride,
                PreprocessorConfig.CLIP_MEAN, PreprocessorConfig.CLIP_STD, 1.0 / 255.0);
    }

    /** Writes every published file except the weights into {@code dir}. */
    public void writeModelFiles(Path dir, List<Piece> pieces) throws IOException {
        Files.createDirectories(dir);
        writeJson(dir.resolve("config.json"), config(pieces.size()));
        writeJson(dir.resolve("preprocessor_config.json"), preprocessorJson());
        JsonObject gen = new JsonObject();
        gen.addProperty("bos_token_id", 1);
        gen.addProperty("eos_token_id", 2);
        gen.addProperty("pad_token_id", 0);
        gen.addProperty("max_length", maxPositions);
        gen.addProperty("do_sample", false);
        writeJson(dir.resolve("generation_config.json"), gen);
        JsonObject tok = new JsonObject();
        tok.addProperty("add_bos_token", true);
        tok.addProperty("add_eos_token", false);
        tok.addProperty("bos_token", "<s>");
        tok.addProperty("eos_token", "</s>");
        tok.addProperty("unk_token", "<unk>");
        tok.addProperty("legacy", false);
        tok.addProperty("model_max_length", maxPositions);
        tok.addProperty("tokenizer_class", "LlamaTokenizer");
        writeJson(dir.resolve("tokenizer_config.json"), tok);
        JsonObject special = new JsonObject();
        special.addProperty("bos_token", "<s>");
        special.addProperty("eos_token", "</s>");
        special.addProperty("pad_token", "<unk>");
        special.addProperty("unk_token", "<unk>");
        writeJson(dir.resolve("special_tokens_map.json"), special);
        SentencePieceModelWriter.write(dir.resolve("tokenizer.model"), pieces);
    }

    private JsonObject config(int vocab) {
        JsonObject c = new JsonObject();
        c.addProperty("_name_or_path", "eve-shapes-demo");
        JsonArray arch = new JsonArray();
        arch.add("EVELlamaForCausalLM");
        c.add("architectures", arch);
        c.addProperty("model_type", "eve");
        c.addProperty("bos_token_id", 1);
        c.addProperty("eos_token_id", 2);
        c.addProperty("pad_token_id", 0);
        c.addProperty("hidden_act", "silu");
        c.addProperty("hidden_size", hidden);
        c.addProperty("intermediate_size", intermediate);
        c.addProperty("num_hidden_layers", layers);
        c.addProperty("num_attention_heads", heads);
        c.addProperty("num_key_value_heads", heads);
        c.addProperty("max_position_embeddings", maxPositions);
        c.addProperty("rms_norm_eps", 1e-5);
        c.addProperty("rope_theta", 10000.0);
        c.addProperty("tie_word_embeddings", false);
        c.addProperty("vocab_size", vocab);
        c.addProperty("mm_hidden_size", visionWidth);
        c.addProperty("mm_projector_type", "mlp2x_gelu");
        c.addProperty("mm_use_im_patch_token", false);
        c.addProperty("mm_use_im_start_end", false);
        c.addProperty("mm_vision_tower", "eve-patch" + patchStride + "-anypixel-" + imageSize);
        c.addProperty("image_aspect_ratio", "square");
        c.addProperty("torch_dtype", "float32");
        c.addProperty("use_cache", true);
        return c;
    }

    private JsonObject preprocessorJson() {
        JsonObject p = new JsonObject();
        p.addProperty("conv_stride", CONV_STRIDE);
        p.addProperty("do_center_crop", false);
        p.addProperty("do_convert_rgb", true);
        p.addProperty("do_normalize", true);
        p.addProperty("do_rescale", true);
        p.addProperty("do_resize", false);
        p.addProperty("image_processor_type", "CLIPImageProcessor");
        JsonArray mean = new JsonArray();
        JsonArray std = new JsonArray();
        for (int i = 0; i < 3; i++) {
            mean.add(PreprocessorConfig.CLIP_MEAN[i]);
            std.add(PreprocessorConfig.CLIP_STD[i]);
        }
        p.add("image_mean", mean);
        p.add("image_std", std);
        p.addProperty("image_size", imageSize);
        p.addProperty("image_size_clip", imageSizeClip);
        p.addProperty("patch_stride", patchStride);
        p.addProperty("patch_stride_clip", patchStride);
        p.addProperty("resample", 3);
        p.addProperty("rescale_factor", 1.0 / 255.0);
        return p;
    }

    static void writeJson(Path file, JsonObject json) throws IOException {
        Files.writeString(file, new GsonBuilder().setPrettyPrinting().create().toJson(json) + "\n",
                StandardCharsets.UTF_8);
    }
}
