package dev.eveflink.model.weights;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** BF16/F16 widening, checked against an independent sign/exponent/mantissa decoding for every bit pattern. */
class ConversionTest {

    /** binary16 decoded arithmetically (no bit tricks), for comparison. */
    static float decodeHalfIndependently(short bits) {
        int h = bits & 0xFFFF;
        int sign = h >>> 15;
        int exp = (h >>> 10) & 0x1F;
        int mant = h & 0x3FF;
        double value;
        if (exp == 0x1F) {
            value = mant == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else if (exp == 0) {
            value = Math.scalb((double) mant, -24);
        } else {
            value = Math.scalb(1.0 + mant / 1024.0, exp - 15);
        }
        return (float) (sign == 1 ? -value : value);
    }

    /** bfloat16 decoded arithmetically: 8 exponent bits (bias 127), 7 mantissa bits. */
    static float decodeBf16Independently(short bits) {
        int h = bits & 0xFFFF;
        int sign = h >>> 15;
        int exp = (h >>> 7) & 0xFF;
        int mant = h & 0x7F;
        double value;
        if (exp == 0xFF) {
            value = mant == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else if (exp == 0) {
            value = Math.scalb((double) mant, -126 - 7);
        } else {
            value = Math.scalb(1.0 + mant / 128.0, exp - 127);
        }
        return (float) (sign == 1 ? -value : value);
    }

    @Test
    void everyBf16PatternWidensExactly() {
        for (int i = 0; i < 65536; i++) {
            short s = (short) i;
            float got = ElementConversion.bf16ToFloat(s);
            float expected = decodeBf16Independently(s);
            if (Float.isNaN(expected)) {
                assertThat(got).isNaN();
            } else {
                assertThat(Float.floatToRawIntBits(got)).as("bf16 0x%04x", i).isEqualTo(Float.floatToRawIntBits(expected));
            }
        }
    }

    @Test
    void everyF16PatternWidensExactly() {
        for (int i = 0; i < 65536; i++) {
            short s = (short) i;
            float got = ElementConversion.halfToFloat(s);
            float expected = decodeHalfIndependently(s);
            if (Float.isNaN(expected)) {
                assertThat(got).isNaN();
            } else {
                assertThat(Float.floatToRawIntBits(got)).as("f16 0x%04x", i).isEqualTo(Float.floatToRawIntBits(expected));
            }
        }
    }

    @Test
    void specialValuesSurvive() {
        assertThat(ElementConversion.bf16ToFloat((short) 0x7F80)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(ElementConversion.bf16ToFloat((short) 0xFF80)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(ElementConversion.bf16ToFloat((short) 0x7FC1)).isNaN();
        assertThat(Float.floatToRawIntBits(ElementConversion.bf16ToFloat((short) 0x8000))).isEqualTo(0x80000000);
        assertThat(Float.floatToRawIntBits(ElementConversion.halfToFloat((short) 0x8000))).isEqualTo(0x80000000);
        assertThat(ElementConversion.halfToFloat((short) 0x7C00)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(ElementConversion.halfToFloat((short) 0x7E00)).isNaN();
        assertThat(ElementConversion.halfToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        // rounding-free: widening then keeping the top 16 bits gives the pattern back
        for (int i = 0; i < 65536; i++) {
            int back = Float.floatToRawIntBits(ElementConversion.bf16ToFloat((short) i)) >>> 16;
            assertThat(back).isEqualTo(i);
        }
    }

    @Test
    void bulkConversionMatchesScalarConversion() {
        short[] bits = {0x3F80, (short) 0xC2F7, 0x0001, (short) 0x8000, 0x7F80, 0x7FC0};
        ByteBuffer src = ByteBuffer.wrap(TestCheckpoints.shortsLe(bits)).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer dst = ByteBuffer.allocateDirect(bits.length * 4).order(ByteOrder.nativeOrder());
        ElementConversion.convert(src, TensorDType.BF16, bits.length, dst, true);
        for (int i = 0; i < bits.length; i++) {
            assertThat(dst.getInt(i * 4)).isEqualTo((bits[i] & 0xFFFF) << 16);
        }
        ElementConversion.convert(src, TensorDType.F16, bits.length, dst, true);
        for (int i = 0; i < bits.length; i++) {
            assertThat(Float.floatToRawIntBits(dst.getFloat(i * 4)))
                    .isEqualTo(Float.floatToRawIntBits(ElementConversion.halfToFloat(bits[i])));
        }
    }
}
