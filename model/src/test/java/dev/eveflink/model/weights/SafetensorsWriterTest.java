package dev.eveflink.model.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.eveflink.model.weights.SafetensorsWriter.FloatTensor;
import dev.eveflink.model.weights.SafetensorsWriter.TensorSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsWriterTest {
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

    /** Normal values over many binades plus every edge case of the conversions. */
    private static float[] awkwardValues(int randomCount) {
        Random random = new Random(7);
        List<Float> v = new ArrayList<>(List.of(0f, -0f, 1f, -1f, 65504f, 65519f, 65520f, 70000f, -1e6f,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 6.1e-5f, 3e-8f, 2.98e-8f, 5.96e-8f,
                1e-10f, Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE,
                1f + 0x1p-11f, 1f + 3 * 0x1p-11f, // F16 ties: to even (down, up)
                1f + 0x1p-8f, 1f + 3 * 0x1p-8f, // BF16 ties: to even (down, up)
                0x1p-25f, 0x1.8p-25f, 0x1p-24f * 1.5f, 0x1p-24f * 2.5f)); // F16 subnormal ties
        for (int i = 0; i < randomCount; i++) {
            double scale = Math.pow(10, random.nextInt(12) - 8);
            v.add((float) (random.nextGaussian() * scale));
        }
        float[] out = new float[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.get(i);
        }
        return out;
    }

    /** BF16 rounding computed independently: pick the nearer of the two bracketing bf16 values in double. */
    private static float expectedBf16(float x) {
        if (Float.isNaN(x) || Float.isInfinite(x)) {
            return x;
        }
        int bits = Float.floatToRawIntBits(x);
        int low = bits & 0xFFFF0000; // truncated toward zero
        float lo = Float.intBitsToFloat(low);
        float hi = Float.intBitsToFloat(low + 0x10000); // next bf16 away from zero (may be infinity)
        double dLo = Math.abs((double) x - lo);
        double dHi = Float.isInfinite(hi) ? Math.abs((double) x - Math.copySign(0x1.0p128, x)) : Math.abs((double) x - hi);
        if (dLo < dHi) {
            return lo;
        }
        if (dHi < dLo) {
            return hi;
        }
        return ((low >>> 16) & 1) == 0 ? lo : hi;
    }

    @Test
    void roundTripsEveryDtypeThroughTheLoader() throws IOException {
        float[] values = awkwardValues(4000);
        int n = values.length;
        List<FloatTensor> tensors = List.of(
                new FloatTensor(new TensorSpec("a.f32", TensorDType.F32, 2, n / 2), halfOf(values, n)),
                new FloatTensor(new TensorSpec("b.f16", TensorDType.F16, n), values),
                new FloatTensor(new TensorSpec("c.bf16", TensorDType.BF16, n), values),
                new FloatTensor(new TensorSpec("d.scalar", TensorDType.F32), new float[] {42.5f}),
                new FloatTensor(new TensorSpec("e.empty", TensorDType.F16, 0, 3), new float[0]));
        Path file = dir.resolve("model.safetensors");
        SafetensorsWriter.write(file, tensors, Map.of("format", "pt", "note", "round trip"));

        SafetensorsFile st = SafetensorsFile.open(file);
        assertThat(st.metadata()).containsEntry("format", "pt").containsEntry("note", "round trip");
        assertThat(st.names()).containsExactly("a.f32", "b.f16", "c.bf16", "d.scalar", "e.empty");
        assertThat(st.info("b.f16").dtype()).isEqualTo(TensorDType.F16);
        assertThat(st.info("c.bf16").dtype()).isEqualTo(TensorDType.BF16);
        assertThat(st.info("a.f32").shape()).isEqualTo(new Shape(2, n / 2));
        assertThat(st.info("d.scalar").shape()).isEqualTo(new Shape());
        assertThat(st.info("e.empty").shape()).isEqualTo(new Shape(0, 3));
        assertThat(st.fileOffset("a.f32") % 8).as("data starts 8-byte aligned").isZero();
        assertThat(Files.size(file)).isEqualTo(st.fileOffset("d.scalar") + 4);

        try (WeightMap w = CheckpointLoader.load(dir, manager, DataType.FLOAT32, CheckpointFormat.SAFETENSORS,
                InferenceTensors.all())) {
            assertThat(w.get("a.f32", 2, n / 2).toFloatArray()).usingElementComparator(Float::compare)
                    .containsExactly(halfOf(values, n));
            assertThat(w.get("d.scalar").toFloatArray()).containsExactly(42.5f);
            // F16: PyTorch's own float32 -> float16 cast is the reference.
            float[] torchHalf = manager.create(values).toType(DataType.FLOAT16, false)
                    .toType(DataType.FLOAT32, false).toFloatArray();
            float[] f16 = w.get("b.f16", n).toFloatArray();
            float[] bf16 = w.get("c.bf16", n).toFloatArray();
            for (int i = 0; i < n; i++) {
                assertThat(Float.compare(f16[i], torchHalf[i])).as("F16 of %s: %s vs torch %s", values[i], f16[i],
                        torchHalf[i]).isZero();
                assertThat(Float.compare(bf16[i], expectedBf16(values[i]))).as("BF16 of %s: %s", values[i], bf16[i])
                        .isZero();
            }
        }
        // The F16 file elements also load unconverted as a float16 array.
        try (WeightMap w = CheckpointLoader.load(dir, manager, DataType.FLOAT16, CheckpointFormat.SAFETENSORS,
                name -> name.equals("b.f16"))) {
            NDArray half = w.get("b.f16", n);
            assertThat(half.getDataType()).isEqualTo(DataType.FLOAT16);
        }
    }

    private static float[] halfOf(float[] values, int n) {
        return java.util.Arrays.copyOf(values, n / 2 * 2);
    }

    @Test
    void signOfNanAndZeroSurvive() {
        assertThat(SafetensorsWriter.floatToHalf(-0f)).isEqualTo((short) 0x8000);
        assertThat(SafetensorsWriter.floatToBfloat16(-0f)).isEqualTo((short) 0x8000);
        assertThat(ElementConversion.halfToFloat(SafetensorsWriter.floatToHalf(Float.NaN))).isNaN();
        assertThat(ElementConversion.bf16ToFloat(SafetensorsWriter.floatToBfloat16(-Float.NaN))).isNaN();
        // a NaN whose payload sits only in the low bits must not turn into infinity
        float lowPayloadNan = Float.intBitsToFloat(0x7F800001);
        assertThat(ElementConversion.halfToFloat(SafetensorsWriter.floatToHalf(lowPayloadNan))).isNaN();
        assertThat(ElementConversion.bf16ToFloat(SafetensorsWriter.floatToBfloat16(lowPayloadNan))).isNaN();
    }

    @Test
    void chunkedWritesAcrossTheBufferEqualOneShotWrites() throws IOException {
        Random random = new Random(3);
        int n = 700_001; // 2.8 MB as F32: crosses the 1 MiB buffer several times, not on a boundary
        float[] big = new float[n];
        for (int i = 0; i < n; i++) {
            big[i] = (float) random.nextGaussian();
        }
        float[] small = {1, 2, 3};
        List<TensorSpec> layout = List.of(new TensorSpec("big", TensorDType.F32, n),
                new TensorSpec("big16", TensorDType.BF16, n), new TensorSpec("small", TensorDType.F16, 3));
        Path oneShot = dir.resolve("one.safetensors");
        SafetensorsWriter.write(oneShot, List.of(new FloatTensor(layout.get(0), big),
                new FloatTensor(layout.get(1), big), new FloatTensor(layout.get(2), small)), Map.of());
        Path chunked = dir.resolve("chunked.safetensors");
        try (SafetensorsWriter w = SafetensorsWriter.create(chunked, layout, Map.of())) {
            for (String name : List.of("big", "big16")) {
                for (int off = 0; off < n; off += 99_991) {
                    w.writeChunk(name, big, off, Math.min(99_991, n - off));
                }
            }
            assertThat(w.pending()).containsExactly("small");
            w.write("small", small);
            assertThat(w.pending()).isEmpty();
        }
        assertThat(Files.mismatch(oneShot, chunked)).isEqualTo(-1L);
        ByteBuffer head = ByteBuffer.wrap(Files.readAllBytes(oneShot), 0, 8).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(head.getLong(0) % 8).isZero();
        assertThat(Files.size(oneShot)).isEqualTo(8 + head.getLong(0) + 4L * n + 2L * n + 6);
    }

    @Test
    void misuseFailsNamingTheTensor() throws IOException {
        List<TensorSpec> layout = List.of(new TensorSpec("first", TensorDType.F32, 2),
                new TensorSpec("second", TensorDType.F32, 2));
        Path file = dir.resolve("bad.safetensors");
        SafetensorsWriter w = SafetensorsWriter.create(file, layout, Map.of());
        assertThatThrownBy(() -> w.write("second", new float[2])).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("expected 'first'").hasMessageContaining("'second'");
        assertThatThrownBy(() -> w.write("first", new float[3])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'first'").hasMessageContaining("needs 2 values");
        w.write("first", new float[2]);
        assertThatThrownBy(w::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("[second]");
        assertThatThrownBy(() -> new TensorSpec("x", TensorDType.I64, 1)).hasMessageContaining("I64");
        assertThatThrownBy(() -> SafetensorsWriter.create(file, List.of(new TensorSpec("x", TensorDType.F32, 1),
                new TensorSpec("x", TensorDType.F32, 1)), Map.of())).hasMessageContaining("'x' is declared twice");
    }
}
