package dev.eveflink.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading and validating config.json and preprocessor_config.json: errors name the key. */
class EveConfigTest {
    private static final Path GOLDEN = Path.of("src", "test", "golden", "eve-tiny");

    private static Path withConfig(Path dir, JsonObject config) throws IOException {
        Files.writeString(dir.resolve("config.json"), config.toString());
        return dir;
    }

    private static JsonObject goldenConfig() throws IOException {
        return JsonParser.parseString(Files.readString(GOLDEN.resolve("config.json"))).getAsJsonObject();
    }

    @Test
    void readsTheGoldenCheckpoint() {
        EveConfig config = EveConfig.read(GOLDEN);
        assertThat(config.hiddenSize()).isEqualTo(64);
        assertThat(config.numKvHeads()).isEqualTo(config.numHeads());
        assertThat(config.headDim()).isEqualTo(16);
        assertThat(config.visionWidth()).isEqualTo(32);
        assertThat(config.projectorType()).isEqualTo("mlp2x_gelu");
        PreprocessorConfig image = PreprocessorConfig.read(GOLDEN, config);
        assertThat(image.ratio()).isEqualTo(2);
        assertThat(image.baseCells()).isEqualTo(8);
    }

    @Test
    void aMissingKeyIsNamed(@TempDir Path dir) throws IOException {
        JsonObject config = goldenConfig();
        config.remove("hidden_size");
        assertThatThrownBy(() -> EveConfig.read(withConfig(dir, config)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config.json")
                .hasMessageContaining("'hidden_size'");
    }

    @Test
    void inconsistentValuesAreNamed(@TempDir Path dir) throws IOException {
        JsonObject heads = goldenConfig();
        heads.addProperty("num_attention_heads", 5);
        assertThatThrownBy(() -> EveConfig.read(withConfig(dir, heads)))
                .hasMessageContaining("num_attention_heads 5");
        JsonObject kv = goldenConfig();
        kv.addProperty("num_key_value_heads", 3);
        assertThatThrownBy(() -> EveConfig.read(withConfig(dir, kv))).hasMessageContaining("num_key_value_heads 3");
        JsonObject tied = goldenConfig();
        tied.addProperty("tie_word_embeddings", true);
        assertThatThrownBy(() -> EveConfig.read(withConfig(dir, tied))).hasMessageContaining("tie_word_embeddings");
        JsonObject act = goldenConfig();
        act.addProperty("hidden_act", "gelu");
        assertThatThrownBy(() -> EveConfig.read(withConfig(dir, act))).hasMessageContaining("hidden_act");
        JsonObject notInt = goldenConfig();
        notInt.addProperty("vocab_size", "many");
        assertThatThrownBy(() -> EveConfig.read(withConfig(dir, notInt))).hasMessageContaining("'vocab_size'");
    }

    @Test
    void groupedQueryAttentionIsReadFromTheKvHeads(@TempDir Path dir) throws IOException {
        JsonObject gqa = goldenConfig();
        gqa.addProperty("num_key_value_heads", 2);
        EveConfig config = EveConfig.read(withConfig(dir, gqa));
        assertThat(config.kvGroups()).isEqualTo(2);
    }

    @Test
    void thePublishedEveFoldersDeriveTheirProcessorFromTheTowerName(@TempDir Path dir) throws IOException {
        JsonObject eve7b = goldenConfig();
        eve7b.addProperty("mm_vision_tower", "openai/eve-patch14-anypixel-672");
        EveConfig config = EveConfig.read(withConfig(dir, eve7b));
        PreprocessorConfig image = PreprocessorConfig.read(dir, config);
        assertThat(image.imageSize()).isEqualTo(672);
        assertThat(image.imageSizeClip()).isEqualTo(336);
        assertThat(image.patchStride()).isEqualTo(14);
        assertThat(image.convStride()).isEqualTo(2);
        assertThat(image.ratio()).isEqualTo(2);
        eve7b.addProperty("mm_vision_tower", "openai/eve-patch14-anypixel-1344");
        PreprocessorConfig hd = PreprocessorConfig.read(dir, EveConfig.read(withConfig(dir, eve7b)));
        assertThat(hd.ratio()).isEqualTo(4);
        assertThat(hd.imageSizeClip()).isEqualTo(336);
    }

    @Test
    void aProcessorBreakingEvesRulesIsRefused(@TempDir Path dir) throws IOException {
        JsonObject image = JsonParser.parseString(Files.readString(GOLDEN.resolve("preprocessor_config.json")))
                .getAsJsonObject();
        image.addProperty("image_size", 96); // 96 is not a multiple of image_size_clip 32 * ... ratio 3: 12 % 8
        Files.writeString(dir.resolve("preprocessor_config.json"), image.toString());
        assertThatThrownBy(() -> PreprocessorConfig.read(dir, EveConfig.read(GOLDEN)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("patch_stride_clip*ratio");
        image.addProperty("image_size", 64);
        image.addProperty("image_size_clip", 32);
        image.addProperty("do_resize", true);
        Files.writeString(dir.resolve("preprocessor_config.json"), image.toString());
        assertThatThrownBy(() -> PreprocessorConfig.read(dir, EveConfig.read(GOLDEN)))
                .hasMessageContaining("do_resize");
        Files.delete(dir.resolve("preprocessor_config.json"));
        assertThatThrownBy(() -> PreprocessorConfig.read(dir, EveConfig.read(GOLDEN)))
                .hasMessageContaining("no preprocessor_config.json");
    }
}
