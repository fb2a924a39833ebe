package dev.eveflink.model.image;

import java.util.Arrays;
import java.util.Objects;

/**
 * Pillow 9.4's 8-bit separable BICUBIC resampler ({@code Image.resize} default for RGB), re-stated
 * from its documented algorithm so that the result is bit-identical to PIL:
 * per axis {@code scale = in/out}, support {@code 2*max(scale,1)} (antialiasing on downscale), cubic
 * kernel with a = -0.5, weights normalised in double then rounded to fixed point with 22 fractional
 * bits; each output is {@code clamp((2^21 + sum pixel*k) >> 22, 0, 255)}. The horizontal pass runs
 * first into an 8-bit image, then the vertical pass; a side that keeps its size skips its pass.
 */
public final class PillowBicubic {
    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final double CUBIC_A = -0.5;
    private static final double SUPPORT = 2.0;

    private PillowBicubic() {}

    /** Resizes to outWidth x outHeight. A same-size resize returns the input (images are immutable). */
    public static RgbImage resize(RgbImage in, int outWidth, int outHeight) {
        Objects.requireNonNull(in, "in");
        if (outWidth <= 0 || outHeight <= 0) {
            throw new IllegalArgumentException("target size must be positive, got " + outWidth + "x" + outHeight);
        }
        RgbImage out = in;
        if (outWidth != in.width()) {
            out = horizontal(out, outWidth);
        }
        if (outHeight != in.height()) {
            out = vertical(out, outHeight);
        }
        return out;
    }

    /** Fixed-point weights for one axis: for output i, taps start at {@code start[i]}, count {@code count[i]}. */
    private record Coefficients(int[] start, int[] count, int kernelSize, int[] weights) {}

    static double cubic(double x) {
        // Pillow's Horner form of the Keys kernel; kept in this exact order for bit-parity.
        if (x < 0.0) {
            x = -x;
        }
        if (x < 1.0) {
            return ((CUBIC_A + 2.0) * x - (CUBIC_A + 3.0)) * x * x + 1;
        }
        if (x < 2.0) {
            return (((x - 5) * x + 8) * x - 4) * CUBIC_A;
        }
        return 0.0;
    }

    private static Coefficients coefficients(int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = SUPPORT * filterScale;
        int kernelSize = (int) Math.ceil(support) * 2 + 1;
        double ss = 1.0 / filterScale;
        int[] start = new int[outSize];
        int[] count = new int[outSize];
        int[] weights = new int[outSize * kernelSize];
        double[] k = new double[kernelSize];
        for (int i = 0; i < outSize; i++) {
            double center = (i + 0.5) * scale;
            // (int) truncates toward zero, like the C cast; then clamp to the image.
            int xmin = Math.max((int) (center - support + 0.5), 0);
            int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
            double sum = 0.0;
            for (int x = 0; x < xmax; x++) {
                double w = cubic((x + xmin - center + 0.5) * ss);
                k[x] = w;
                sum += w;
            }
            for (int x = 0; x < xmax; x++) {
                double w = sum != 0.0 ? k[x] / sum : k[x];
                weights[i * kernelSize + x] = w < 0
                        ? (int) (-0.5 + w * (1 << PRECISION_BITS))
                        : (int) (0.5 + w * (1 << PRECISION_BITS));
            }
            start[i] = xmin;
            count[i] = xmax;
        }
        return new Coefficients(start, count, kernelSize, weights);
    }

    private static int clip8(int acc) {
        int v = acc >> PRECISION_BITS;
        return v < 0 ? 0 : Math.min(v, 255);
    }

    private static RgbImage horizontal(RgbImage in, int outWidth) {
        int inWidth = in.width();
        int height = in.height();
        Coefficients c = coefficients(inWidth, outWidth);
        byte[] src = in.rgb();
        byte[] dst = new byte[3 * outWidth * height]; // [H, outW, 3]
        for (int y = 0; y < height; y++) {
            int rowIn = y * inWidth * 3;
            int rowOut = y * outWidth * 3;
            for (int x = 0; x < outWidth; x++) {
                int base = x * c.kernelSize();
                int xmin = c.start()[x];
                int n = c.count()[x];
                int r = 1 << (PRECISION_BITS - 1);
                int g = r;
                int b = r;
                for (int t = 0; t < n; t++) {
                    int w = c.weights()[base + t];
                    int p = rowIn + (xmin + t) * 3;
                    r += (src[p] & 0xff) * w;
                    g += (src[p + 1] & 0xff) * w;
                    b += (src[p + 2] & 0xff) * w;
                }
                int o = rowOut + x * 3;
                dst[o] = (byte) clip8(r);
                dst[o + 1] = (byte) clip8(g);
                dst[o + 2] = (byte) clip8(b);
            }
        }
        return new RgbImage(outWidth, height, dst);
    }

    private static RgbImage vertical(RgbImage in, int outHeight) {
        int width = in.width();
        int inHeight = in.height();
        Coefficients c = coefficients(inHeight, outHeight);
        byte[] src = in.rgb();
        int stride = width * 3;
        byte[] dst = new byte[stride * outHeight]; // [outH, W, 3]
        int[] acc = new int[stride]; // one accumulator per (x, channel) of the output row
        for (int y = 0; y < outHeight; y++) {
            int base = y * c.kernelSize();
            int ymin = c.start()[y];
            int n = c.count()[y];
            Arrays.fill(acc, 1 << (PRECISION_BITS - 1));
            // row-wise accumulation: same integer sums as Pillow's per-pixel loop, cache-friendly
            for (int t = 0; t < n; t++) {
                int w = c.weights()[base + t];
                int row = (ymin + t) * stride;
                for (int i = 0; i < stride; i++) {
                    acc[i] += (src[row + i] & 0xff) * w;
                }
            }
            int o = y * stride;
            for (int i = 0; i < stride; i++) {
                dst[o + i] = (byte) clip8(acc[i]);
            }
        }
        return new RgbImage(width, outHeight, dst);
    }
}
