package dev.eveflink.model.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The golden tiny EVE checkpoint, as published in both formats. */
class CheckpointLoaderGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/golden/eve-tiny");

    @TempDir
    Path tmp;

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /** The inference names from the architecture table (§5.2), for the golden config's layer count. */
    private static Set<String> expectedInferenceNames() throws Exception {
        JsonObject config = JsonParser.parseString(Files.readString(GOLDEN.resolve("config.json"))).getAsJsonObject();
        int layers = config.get("num_hidden_layers").getAsInt();
        List<String> names = new ArrayList<>(List.of("model.embed_tokens.weight", "model.norm.weight", "lm_head.weight",
                "model.vision_tower.patch_embedding.weight", "model.vision_tower.class_embedding",
                "model.vision_tower.split_embedding", "model.mm_projector.0.weight", "model.mm_projector.0.bias",
                "model.mm_projector.2.weight", "model.mm_projector.2.bias"));
        for (String block : List.of("local_attention", "global_attention")) {
            for (String p : List.of("q.0.weight", "q.0.bias", "q.1.weight", "kv.0.weight", "kv.0.bias", "kv.1.weight",
                    "proj.weight", "proj.bias")) {
                names.add("model.vision_tower." + block + "." + p);
            }
        }
        for (int i = 0; i < layers; i++) {
            for (String p : List.of("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
                    "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj", "input_layernorm", "post_attention_layernorm")) {
                names.add("model.layers." + i + "." + p + ".weight");
            }
        }
        return new TreeSet<>(names);
    }

    private static int[] bits(NDArray a) {
        float[] f = a.toFloatArray();
        int[] b = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            b[i] = Float.floatToRawIntBits(f[i]);
        }
        return b;
    }

    @Test
    void binShardsAndSafetensorsGiveBitwiseIdenticalFloat32Tensors() throws Exception {
        try (WeightMap bin = CheckpointLoader.load(GOLDEN, manager, DataType.FLOAT32, CheckpointFormat.PYTORCH_BIN);
                WeightMap st = CheckpointLoader.load(GOLDEN, manager, DataType.FLOAT32, CheckpointFormat.SAFETENSORS)) {
            assertThat(new TreeSet<>(bin.names())).isEqualTo(expectedInferenceNames());
            assertThat(new TreeSet<>(st.names())).isEqualTo(expectedInferenceNames());
            for (String name : bin.names()) {
                NDArray a = bin.get(name, bin.shape(name));
                NDArray b = st.get(name, bin.shape(name));
                assertThat(a.getDataType()).as(name).isEqualTo(DataType.FLOAT32);
                assertThat(b.getDataType()).as(name).isEqualTo(DataType.FLOAT32);
                assertThat(bits(b)).as(name).isEqualTo(bits(a));
            }
            bin.assertAllUsed();
            st.assertAllUsed();
        }
    }

    @Test
    void autoPrefersSafetensorsAndSkipsTrainingOnlyTensors() {
        try (Checkpoint c = CheckpointLoader.open(GOLDEN, CheckpointFormat.AUTO)) {
            assertThat(c).isInstanceOf(SafetensorsFile.class);
        }
        try (WeightMap w = CheckpointLoader.load(GOLDEN, manager, DataType.FLOAT32)) {
            assertThat(w.names()).noneMatch(n -> n.contains("vision_clip") || n.contains("vision_tower_compressor")
                    || n.contains("rotary_emb") || n.contains("position_ids"));
        }
        try (Checkpoint c = CheckpointLoader.open(GOLDEN, CheckpointFormat.PYTORCH_BIN)) {
            // the aliased CLIP tower is in the .bin, and skipped by the rule
            assertThat(c.names()).anyMatch(n -> n.startsWith("model.vision_tower_compressor.clip_layer."));
            assertThat(c.names().stream().filter(InferenceTensors.eve()).count()).isEqualTo(c.names().stream()
                    .filter(n -> !n.contains("vision_clip") && !n.contains("vision_tower_compressor")
                            && !n.contains("rotary_emb")).count());
        }
    }

    @Test
    void bf16SplitEmbeddingAndF16ProjectorBiasConvertExactly() throws Exception {
        SafetensorsFile st = SafetensorsFile.open(GOLDEN.resolve("model.safetensors"));
        assertThat(st.info("model.vision_tower.split_embedding").dtype()).isEqualTo(TensorDType.BF16);
        assertThat(st.info("model.mm_projector.0.bias").dtype()).isEqualTo(TensorDType.F16);
        try (WeightMap w = CheckpointLoader.load(GOLDEN, manager, DataType.FLOAT32, CheckpointFormat.SAFETENSORS)) {
            // split_embedding: each float32 is the bf16 bit pattern shifted up by 16, read straight from the file
            short[] raw = rawShorts(st, "model.vision_tower.split_embedding");
            int[] got = bits(w.get("model.vision_tower.split_embedding", raw.length));
            for (int i = 0; i < raw.length; i++) {
                assertThat(got[i]).isEqualTo((raw[i] & 0xFFFF) << 16);
            }
            // mm_projector.0.bias: the f16 values equal, as numbers, an independent binary16 decoding
            short[] half = rawShorts(st, "model.mm_projector.0.bias");
            float[] bias = w.get("model.mm_projector.0.bias", half.length).toFloatArray();
            for (int i = 0; i < half.length; i++) {
                assertThat(bias[i]).isEqualTo(ConversionTest.decodeHalfIndependently(half[i]));
            }
        }
    }

    @Test
    void float16TargetHoldsTheFloat32ValuesRounded() {
        try (WeightMap f32 = CheckpointLoader.load(GOLDEN, manager, DataType.FLOAT32, CheckpointFormat.PYTORCH_BIN);
                WeightMap f16 = CheckpointLoader.load(GOLDEN, manager, DataType.FLOAT16, CheckpointFormat.SAFETENSORS)) {
            for (String name : f32.names()) {
                NDArray half = f16.get(name, f32.shape(name));
                assertThat(half.getDataType()).as(name).isEqualTo(DataType.FLOAT16);
                NDArray expected = f32.get(name, f32.shape(name)).toType(DataType.FLOAT16, true);
                assertThat(half.toType(DataType.FLOAT32, true).toFloatArray()).as(name)
                        .containsExactly(expected.toType(DataType.FLOAT32, true).toFloatArray());
            }
        }
    }

    @Test
    void inPlaceOpsOnMappedTensorsNeverTouchTheFile() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("model"));
        Path file = dir.resolve("model.safetensors");
        Files.copy(GOLDEN.resolve("model.safetensors"), file);
        String before = sha256(file);
        try (WeightMap w = CheckpointLoader.load(dir, manager, DataType.FLOAT32)) {
            for (String name : w.names()) {
                w.get(name, w.shape(name)).addi(1f).muli(3f);
            }
            NDArray norm = w.get("model.norm.weight", w.shape("model.norm.weight"));
            NDArray fresh = CheckpointLoader.load(dir, manager, DataType.FLOAT32).get("model.norm.weight", norm.getShape());
            assertThat(norm.toFloatArray()).containsExactly(fresh.add(1f).mul(3f).toFloatArray());
        }
        assertThat(sha256(file)).isEqualTo(before);
    }

    @Test
    void shardedBinWithAMissingShardNamesIt() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("model"));
        Files.copy(GOLDEN.resolve("pytorch_model.bin.index.json"), dir.resolve("pytorch_model.bin.index.json"));
        Files.copy(GOLDEN.resolve("pytorch_model-00001-of-00002.bin"), dir.resolve("pytorch_model-00001-of-00002.bin"));
        assertThatThrownBy(() -> CheckpointLoader.load(dir, manager, DataType.FLOAT32))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("pytorch_model-00002-of-00002.bin");
    }

    @Test
    void aTensorTheModelNeverAsksForFailsAssertAllUsed() {
        try (WeightMap w = CheckpointLoader.load(GOLDEN, manager, DataType.FLOAT32)) {
            for (String name : w.names()) {
                if (!name.equals("lm_head.weight")) {
                    w.get(name, w.shape(name));
                }
            }
            assertThatThrownBy(w::assertAllUsed).isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("lm_head.weight");
            assertThatThrownBy(() -> w.get("lm_head.weight", 64, 320)).isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("lm_head.weight").hasMessageContaining("(320, 64)");
            assertThatThrownBy(() -> w.get("model.layers.7.mlp.up_proj.weight", 172, 64))
                    .isInstanceOf(CheckpointException.class).hasMessageContaining("model.layers.7.mlp.up_proj.weight");
        }
    }

    private static short[] rawShorts(SafetensorsFile st, String name) throws Exception {
        TensorInfo info = st.info(name);
        ByteBuffer buf = ByteBuffer.allocate((int) info.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(st.file())) {
            ch.read(buf, st.fileOffset(name));
        }
        buf.flip();
        short[] out = new short[(int) info.numel()];
        buf.asShortBuffer().get(out);
        return out;
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
