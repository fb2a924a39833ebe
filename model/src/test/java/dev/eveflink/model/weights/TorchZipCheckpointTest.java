package dev.eveflink.model.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchZipCheckpointTest {
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

    private static float[] iota(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i * 1.5f - 3f;
        }
        return v;
    }

    private WeightMap loadAll(Path file) {
        Path model = file.getParent();
        return CheckpointLoader.load(model, manager, DataType.FLOAT32, CheckpointFormat.PYTORCH_BIN, InferenceTensors.all());
    }

    @Test
    void sharedStorageOffsetAndStridedViewsComeOutRight() throws Exception {
        float[] storage = iota(12);
        byte[] pickle = new TestPickle().proto(2).orderedDict().mark()
                // a 3x4 contiguous view of the whole storage
                .tensorEntry("whole", "FloatStorage", "0", 12, 0, new long[] {3, 4}, new long[] {4, 1})
                // the same storage under a second name, offset 5, 1-D of 3
                .tensorEntry("tail", "FloatStorage", "0", 12, 5, new long[] {3}, new long[] {1})
                // the transpose of "whole": 4x3 with strides (1, 4)
                .tensorEntry("transposed", "FloatStorage", "0", 12, 0, new long[] {4, 3}, new long[] {1, 4})
                // every other column of rows 1..2, starting at offset 4: sizes (2, 2), strides (4, 2)
                .tensorEntry("strided", "FloatStorage", "0", 12, 4, new long[] {2, 2}, new long[] {4, 2})
                .op('u').stop().bytes();
        TestCheckpoints.writeTorchZip(dir.resolve("pytorch_model.bin"), pickle,
                TestCheckpoints.storages("0", TestCheckpoints.floatsLe(storage)));

        try (TorchZipCheckpoint ckpt = TorchZipCheckpoint.open(dir.resolve("pytorch_model.bin"))) {
            assertThat(ckpt.storageKey("whole")).isEqualTo(ckpt.storageKey("tail"));
        }
        try (WeightMap w = loadAll(dir.resolve("pytorch_model.bin"))) {
            assertThat(w.get("whole", 3, 4).toFloatArray()).containsExactly(storage);
            assertThat(w.get("tail", 3).toFloatArray()).containsExactly(storage[5], storage[6], storage[7]);
            float[] expectedT = new float[12];
            for (int r = 0; r < 4; r++) {
                for (int c = 0; c < 3; c++) {
                    expectedT[r * 3 + c] = storage[c * 4 + r];
                }
            }
            assertThat(w.get("transposed", 4, 3).toFloatArray()).containsExactly(expectedT);
            assertThat(w.get("strided", 2, 2).toFloatArray())
                    .containsExactly(storage[4], storage[6], storage[8], storage[10]);
            w.assertAllUsed();
        }
    }

    @Test
    void stridedViewCopiedInSmallChunksMatches() throws Exception {
        float[] storage = iota(64);
        byte[] pickle = new TestPickle().proto(2).orderedDict().mark()
                .tensorEntry("t", "FloatStorage", "7", 64, 0, new long[] {8, 8}, new long[] {1, 8})
                .op('u').stop().bytes();
        Path file = dir.resolve("pytorch_model.bin");
        TestCheckpoints.writeTorchZip(file, pickle, TestCheckpoints.storages("7", TestCheckpoints.floatsLe(storage)));
        try (TorchZipCheckpoint ckpt = TorchZipCheckpoint.open(file)) {
            // 64-byte chunks: 4 float32 per piece, so each 8-float row is copied flat in pieces
            var array = new TensorMaterializer(64).materialize(ckpt.tensor("t"), manager, DataType.FLOAT32);
            float[] expected = new float[64];
            for (int r = 0; r < 8; r++) {
                for (int c = 0; c < 8; c++) {
                    expected[r * 8 + c] = storage[c * 8 + r];
                }
            }
            assertThat(array.toFloatArray()).containsExactly(expected);
            assertThat(array.getShape().getShape()).containsExactly(8, 8);
        }
    }

    @Test
    void bf16StorageIsWidenedExactly() throws Exception {
        short[] bits = {0x3F80, (short) 0xBF80, 0x7F80, (short) 0xFF80, 0x7FC0, (short) 0x8000, 0x0001, 0x4049};
        byte[] pickle = new TestPickle().proto(2).orderedDict().mark()
                .tensorEntry("b", "BFloat16Storage", "0", bits.length, 0, new long[] {bits.length}, new long[] {1})
                .op('u').stop().bytes();
        Path file = dir.resolve("pytorch_model.bin");
        TestCheckpoints.writeTorchZip(file, pickle, TestCheckpoints.storages("0", TestCheckpoints.shortsLe(bits)));
        try (WeightMap w = loadAll(file)) {
            float[] got = w.get("b", bits.length).toFloatArray();
            for (int i = 0; i < bits.length; i++) {
                assertThat(Float.floatToRawIntBits(got[i])).as("element %d", i).isEqualTo((bits[i] & 0xFFFF) << 16);
            }
        }
    }

    @Test
    void osSystemGlobalIsRefusedAndNothingRuns() throws Exception {
        Path marker = dir.resolve("pwned");
        byte[] pickle = new TestPickle().proto(2)
                .global("os", "system").mark().string("touch " + marker).op('t').reduce().stop().bytes();
        assertRefused(pickle, "os.system");
        assertThat(marker).doesNotExist();
    }

    @Test
    void builtinsEvalInsideAStateDictIsRefused() throws Exception {
        Path marker = dir.resolve("pwned-eval");
        byte[] pickle = new TestPickle().proto(2).orderedDict().mark()
                .string("x").global("builtins", "eval")
                .mark().string("open('" + marker + "', 'w').write('x')").op('t').reduce()
                .op('u').stop().bytes();
        assertRefused(pickle, "builtins.eval");
        assertThat(marker).doesNotExist();
    }

    @Test
    void classInstantiatingOpcodesAreRefused() throws Exception {
        // NEWOBJ on an allowed class still instantiates: refused
        byte[] newobj = new TestPickle().proto(2).global("collections", "OrderedDict").emptyTuple().op(0x81).stop().bytes();
        assertRefused(newobj, "NEWOBJ");
        // INST names a class inline (module\nname\n) and would call it
        byte[] inst = new TestPickle().proto(2).mark().op('i').bytes();
        assertRefused(inst, "INST");
    }

    @Test
    void reducingAStorageTypeIsRefused() throws Exception {
        byte[] pickle = new TestPickle().proto(2).global("torch", "FloatStorage").emptyTuple().reduce().stop().bytes();
        assertRefused(pickle, "FloatStorage");
    }

    @Test
    void storageMissingFromTheZipIsNamed() throws Exception {
        byte[] pickle = new TestPickle().proto(2).orderedDict().mark()
                .tensorEntry("w", "FloatStorage", "3", 4, 0, new long[] {4}, new long[] {1})
                .op('u').stop().bytes();
        Path file = dir.resolve("pytorch_model.bin");
        TestCheckpoints.writeTorchZip(file, pickle, TestCheckpoints.storages("0", TestCheckpoints.floatsLe(1, 2, 3, 4)));
        assertThatThrownBy(() -> TorchZipCheckpoint.open(file)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("'w'").hasMessageContaining("archive/data/3");
    }

    @Test
    void viewPastTheEndOfItsStorageIsRefused() throws Exception {
        byte[] pickle = new TestPickle().proto(2).orderedDict().mark()
                .tensorEntry("w", "FloatStorage", "0", 4, 2, new long[] {4}, new long[] {1})
                .op('u').stop().bytes();
        Path file = dir.resolve("pytorch_model.bin");
        TestCheckpoints.writeTorchZip(file, pickle, TestCheckpoints.storages("0", TestCheckpoints.floatsLe(1, 2, 3, 4)));
        assertThatThrownBy(() -> TorchZipCheckpoint.open(file)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("'w'").hasMessageContaining("truncated");
    }

    @Test
    void goldenPicklesParseToTheIndexedNames() throws Exception {
        Path golden = Path.of("src/test/golden/eve-tiny");
        try (Checkpoint c = CheckpointLoader.open(golden, CheckpointFormat.PYTORCH_BIN)) {
            String index = Files.readString(golden.resolve("pytorch_model.bin.index.json"));
            for (String name : c.names()) {
                assertThat(index).contains("\"" + name + "\"");
            }
            assertThat(c.info("model.vision_tower.split_embedding").dtype()).isEqualTo(TensorDType.BF16);
        }
    }

    private void assertRefused(byte[] pickle, String expectedInMessage) throws Exception {
        assertThatThrownBy(() -> StateDictUnpickler.read("test.pkl", pickle))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(expectedInMessage)
                .hasMessageContaining("refused");
        // and through the whole loader, as a file
        Path file = dir.resolve("pytorch_model.bin");
        TestCheckpoints.writeTorchZip(file, pickle, Map.of());
        assertThatThrownBy(() -> loadAll(file)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining(file.toString());
    }
}
