package dev.eveflink.model.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

/**
 * Converts raw little-endian elements to what DJL receives: float32 for every floating source
 * (F16 may pass through unchanged when the target is float16), the element's own type otherwise.
 * BF16 is widened here, in Java, because DJL must never see a BFLOAT16 array.
 */
final class ElementConversion {
    private ElementConversion() {}

    /** A bfloat16 is the upper half of a float32: widening is exact (inf, nan, -0 included). */
    static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** Exact IEEE binary16 to binary32 (Java 17 lacks Float.float16ToFloat). */
    static float halfToFloat(short bits) {
        int h = bits & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1F;
        int mant = h & 0x3FF;
        if (exp == 0x1F) { // inf / nan: keep the payload
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign); // +-0
            }
            // subnormal: value = mant * 2^-24, exactly representable in float32
            float v = mant * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /**
     * Converts {@code count} elements of {@code source} (little-endian, positioned at the first
     * element) into {@code target} (native order, written from position 0).
     *
     * @param toFloat32 true to write float32 (floating sources), false to copy the raw elements
     */
    static void convert(ByteBuffer source, TensorDType dtype, int count, ByteBuffer target, boolean toFloat32) {
        ByteBuffer src = source.slice().order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer dst = target.duplicate().order(ByteOrder.nativeOrder());
        dst.clear();
        if (!toFloat32) {
            if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN && dtype.byteSize() > 1) {
                throw new CheckpointException("big-endian hosts are not supported");
            }
            src.limit(count * dtype.byteSize());
            dst.put(src);
            return;
        }
        FloatBuffer out = dst.asFloatBuffer();
        switch (dtype) {
            case F32 -> {
                FloatBuffer in = src.asFloatBuffer();
                in.limit(count);
                out.put(in);
            }
            case BF16 -> {
                ShortBuffer in = src.asShortBuffer();
                for (int i = 0; i < count; i++) {
                    out.put(i, bf16ToFloat(in.get(i)));
                }
            }
            case F16 -> {
                ShortBuffer in = src.asShortBuffer();
                for (int i = 0; i < count; i++) {
                    out.put(i, halfToFloat(in.get(i)));
                }
            }
            case F64 -> {
                for (int i = 0; i < count; i++) {
                    out.put(i, (float) src.getDouble(i * 8));
                }
            }
            default -> throw new IllegalStateException("not a floating type: " + dtype);
        }
    }
}
