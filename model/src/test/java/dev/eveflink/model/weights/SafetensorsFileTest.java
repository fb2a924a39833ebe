package dev.eveflink.model.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {
    private static final Path GOLDEN = Path.of("src/test/golden/eve-tiny");

    @TempDir
    Path dir;

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void truncatedFileNamesTheFileAndTheTensor() throws Exception {
        Path model = Files.createDirectory(dir.resolve("m"));
        Path file = model.resolve("model.safetensors");
        byte[] all = Files.readAllBytes(GOLDEN.resolve("model.safetensors"));
        Files.write(file, java.util.Arrays.copyOf(all, all.length - 100));
        assertThatThrownBy(() -> CheckpointLoader.load(model, manager, DataType.FLOAT32))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("truncated")
                // the last tensor in the file is the one cut short
                .hasMessageContaining("model.vision_tower_compressor.output_layer.weight");
    }

    @Test
    void fileShorterThanItsHeaderIsRefused() throws Exception {
        Path file = dir.resolve("model.safetensors");
        Files.write(file, java.util.Arrays.copyOf(Files.readAllBytes(GOLDEN.resolve("model.safetensors")), 200));
        assertThatThrownBy(() -> SafetensorsFile.open(file)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("truncated");
    }

    @Test
    void unknownDtypeFailsNamingTheTensorWhenLoaded() throws Exception {
        TestCheckpoints.writeSafetensors(dir.resolve("model.safetensors"),
                new TestCheckpoints.Tensor("model.norm.weight", "F8_E4M3", new long[] {4}, new byte[4]),
                new TestCheckpoints.Tensor("model.vision_clip.x", "F8_E5M2", new long[] {2}, new byte[2]));
        // a skipped tensor in an odd dtype is harmless; a kept one is refused with a clear message
        assertThatThrownBy(() -> CheckpointLoader.load(dir, manager, DataType.FLOAT32))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("model.norm.weight")
                .hasMessageContaining("F8_E4M3")
                .hasMessageContaining("unsupported dtype");
    }

    @Test
    void dataOffsetsDisagreeingWithShapeAreRefused() throws Exception {
        TestCheckpoints.writeSafetensors(dir.resolve("model.safetensors"),
                new TestCheckpoints.Tensor("model.norm.weight", "F32", new long[] {3}, new byte[16]));
        assertThatThrownBy(() -> SafetensorsFile.open(dir.resolve("model.safetensors")))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("model.norm.weight");
    }

    @Test
    void shapeMismatchNamesTheTensor() throws Exception {
        TestCheckpoints.writeSafetensors(dir.resolve("model.safetensors"),
                new TestCheckpoints.Tensor("model.norm.weight", "F32", new long[] {2, 2}, TestCheckpoints.floatsLe(1, 2, 3, 4)));
        try (WeightMap w = CheckpointLoader.load(dir, manager, DataType.FLOAT32)) {
            assertThatThrownBy(() -> w.get("model.norm.weight", 4)).isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("model.norm.weight").hasMessageContaining("(2, 2)").hasMessageContaining("(4)");
            assertThat(w.get("model.norm.weight", 2, 2).toFloatArray()).containsExactly(1, 2, 3, 4);
        }
    }

    @Test
    void indexNamingAnAbsentShardNamesIt() throws Exception {
        TestCheckpoints.writeSafetensors(dir.resolve("model-00001-of-00002.safetensors"),
                new TestCheckpoints.Tensor("model.norm.weight", "F32", new long[] {1}, TestCheckpoints.floatsLe(1)));
        Files.writeString(dir.resolve("model.safetensors.index.json"), "{\"metadata\":{},\"weight_map\":{"
                + "\"model.norm.weight\":\"model-00001-of-00002.safetensors\","
                + "\"lm_head.weight\":\"model-00002-of-00002.safetensors\"}}", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> CheckpointLoader.load(dir, manager, DataType.FLOAT32))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("model-00002-of-00002.safetensors")
                .hasMessageContaining("model.safetensors.index.json");
    }

    @Test
    void indexNamingATensorItsShardLacksNamesBoth() throws Exception {
        TestCheckpoints.writeSafetensors(dir.resolve("a.safetensors"),
                new TestCheckpoints.Tensor("model.norm.weight", "F32", new long[] {1}, TestCheckpoints.floatsLe(1)));
        Files.writeString(dir.resolve("model.safetensors.index.json"),
                "{\"weight_map\":{\"lm_head.weight\":\"a.safetensors\"}}", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> CheckpointLoader.load(dir, manager, DataType.FLOAT32))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("lm_head.weight").hasMessageContaining("a.safetensors");
    }

    @Test
    void shardedSafetensorsLoad() throws Exception {
        TestCheckpoints.writeSafetensors(dir.resolve("s1.safetensors"),
                new TestCheckpoints.Tensor("model.norm.weight", "F32", new long[] {2}, TestCheckpoints.floatsLe(1, 2)));
        TestCheckpoints.writeSafetensors(dir.resolve("s2.safetensors"),
                new TestCheckpoints.Tensor("lm_head.weight", "BF16", new long[] {1, 2},
                        TestCheckpoints.shortsLe((short) 0x4040, (short) 0xC0A0)));
        Files.writeString(dir.resolve("model.safetensors.index.json"),
                "{\"weight_map\":{\"model.norm.weight\":\"s1.safetensors\",\"lm_head.weight\":\"s2.safetensors\"}}");
        try (WeightMap w = CheckpointLoader.load(dir, manager, DataType.FLOAT32)) {
            assertThat(w.get("model.norm.weight", 2).toFloatArray()).containsExactly(1, 2);
            assertThat(w.get("lm_head.weight", 1, 2).toFloatArray()).containsExactly(3f, -5f);
        }
    }

    @Test
    void chunkedCopyEqualsTheMappedTensor() throws Exception {
        SafetensorsFile st = SafetensorsFile.open(GOLDEN.resolve("model.safetensors"));
        for (String name : new String[] {"model.embed_tokens.weight", "model.mm_projector.0.bias",
                "model.vision_tower.patch_embedding.weight", "model.vision_clip.backbone.vision_model.embeddings.position_ids"}) {
            NDArray whole = new TensorMaterializer().materialize(st.tensor(name), manager, DataType.FLOAT32);
            // 256-byte chunks: many row pieces, and flat pieces where a row is wider than a chunk
            NDArray pieces = new TensorMaterializer(256).materialize(st.tensor(name), manager, DataType.FLOAT32);
            assertThat(pieces.getShape()).isEqualTo(whole.getShape());
            assertThat(pieces.getDataType()).isEqualTo(whole.getDataType());
            assertThat(pieces.contentEquals(whole)).as(name).isTrue();
        }
        assertThat(new TensorMaterializer().materialize(
                st.tensor("model.vision_clip.backbone.vision_model.embeddings.position_ids"), manager, DataType.FLOAT32)
                .getDataType()).isEqualTo(DataType.INT64);
    }

    @Test
    void writableFilesAreMappedCopyOnWrite() throws Exception {
        Path file = dir.resolve("model.safetensors");
        Files.copy(GOLDEN.resolve("model.safetensors"), file);
        assertThat(SafetensorsFile.open(file).tensor("model.norm.weight").mapPrivate()).isPresent();
    }

    @Test
    void tensorPlacedPastTwoGibibytesIsReadCorrectly() throws Exception {
        Path file = dir.resolve("model.safetensors");
        long far = (1L << 31) + 4096; // data offset beyond 2 GiB
        float[] values = {1.25f, -2.5f, 3.75f, Float.MIN_VALUE};
        String header = "{\"model.norm.weight\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[" + far + ","
                + (far + 16) + "]},\"model.mm_projector.0.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(8 + h.length + far + 16); // sparse: only the written pages use disk
            raf.seek(0);
            raf.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
            raf.write(h);
            raf.write(TestCheckpoints.floatsLe(7f));
            raf.seek(8 + h.length + far);
            raf.write(TestCheckpoints.floatsLe(values));
        }
        try {
            assertThat(Files.size(file)).isGreaterThan(1L << 31);
            SafetensorsFile st = SafetensorsFile.open(file);
            assertThat(st.fileOffset("model.norm.weight")).isGreaterThan(1L << 31);
            // zero-copy mapping at a long offset
            try (WeightMap w = CheckpointLoader.load(dir, manager, DataType.FLOAT32)) {
                assertThat(w.get("model.norm.weight", 4).toFloatArray()).containsExactly(values);
                assertThat(w.get("model.mm_projector.0.bias", 1).toFloatArray()).containsExactly(7f);
            }
            // copy path (positional reads) at a long offset
            NDArray copied = new TensorMaterializer(64).materialize(st.tensor("model.norm.weight"), manager,
                    DataType.FLOAT16);
            assertThat(copied.toType(DataType.FLOAT32, false).toFloatArray()).containsExactly(1.25f, -2.5f, 3.75f, 0f);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void noCheckpointInTheDirectoryIsNamed() {
        assertThatThrownBy(() -> CheckpointLoader.load(dir, manager, DataType.FLOAT32))
                .isInstanceOf(CheckpointException.class).hasMessageContaining(dir.toString())
                .hasMessageContaining("model.safetensors");
        assertThatThrownBy(() -> CheckpointLoader.load(GOLDEN, manager, DataType.INT32))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
