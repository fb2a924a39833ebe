package dev.eveflink.model.image;

import dev.eveflink.model.config.PreprocessorConfig;
import java.util.Arrays;
import java.util.Objects;

/**
 * EVE's image preprocessing on the CPU, in plain Java: geometry ({@link EveGeometry}), Pillow bicubic
 * resize ({@link PillowBicubic}), then per channel {@code x = (float)(u8 * rescale)} (HF rescales in
 * float64 and casts) and {@code (x - (float)mean[c]) / (float)std[c]} in float32.
 *
 * <p>Immutable and thread-safe.
 */
public final class ImagePreprocessor {
    private final PreprocessorConfig config;
    /** normalised value of every u8 per channel: [3][256], exact because it is a pure function of u8. */
    private final float[][] table;
    /** the canvas fill colour, (int)(mean*255) per channel as EVE's Python does. */
    private final int[] fillRgb;

    public ImagePreprocessor(PreprocessorConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        double[] mean = config.imageMean();
        double[] std = config.imageStd();
        double rescale = config.rescaleFactor();
        this.table = new float[3][256];
        this.fillRgb = new int[3];
        for (int c = 0; c < 3; c++) {
            float m = (float) mean[c];
            float s = (float) std[c];
            for (int u = 0; u < 256; u++) {
                float x = (float) (u * rescale);
                table[c][u] = (x - m) / s;
            }
            fillRgb[c] = (int) (mean[c] * 255);
        }
    }

    public PreprocessorConfig config() {
        return config;
    }

    /** The canvas fill colour as RGB 0..255 ({@code (122, 116, 104)} for CLIP's mean). */
    public int[] fillRgb() {
        return fillRgb.clone();
    }

    /** The geometry of a W x H image under this config. */
    public EveGeometry geometry(int width, int height) {
        return EveGeometry.of(width, height, config);
    }

    /** Resizes and normalises; the result holds the resized rectangle only, CHW [3, h, w]. */
    public PreprocessedImage preprocess(RgbImage image) {
        Objects.requireNonNull(image, "image");
        EveGeometry g = geometry(image.width(), image.height());
        RgbImage resized = PillowBicubic.resize(image, g.resizedWidth(), g.resizedHeight());
        return new PreprocessedImage(g, normalize(resized));
    }

    /** HWC u8 [h, w, 3] to normalised CHW float [3, h, w]. */
    float[] normalize(RgbImage resized) {
        int w = resized.width();
        int h = resized.height();
        int plane = w * h;
        byte[] rgb = resized.rgb();
        float[] out = new float[3 * plane]; // [3, h, w]
        for (int i = 0; i < plane; i++) {
            out[i] = table[0][rgb[3 * i] & 0xff];
            out[plane + i] = table[1][rgb[3 * i + 1] & 0xff];
            out[2 * plane + i] = table[2][rgb[3 * i + 2] & 0xff];
        }
        return out;
    }

    /**
     * The full tensor EVE's {@code process_images} builds, {@code [4, S, S]}: the normalised canvas
     * (fill colour outside the pasted image) and, as channel 3, the mask (1 over the pasted band, 0
     * elsewhere). Only needed for inspection and the CLI; the model reads the rectangle.
     */
    public float[] canvas(PreprocessedImage image) {
        Objects.requireNonNull(image, "image");
        EveGeometry g = image.geometry();
        int s = g.canvasSize();
        int plane = s * s;
        int w = g.resizedWidth();
        int h = g.resizedHeight();
        float[] out = new float[4 * plane]; // [4, S, S]
        float[] px = image.pixels(); // [3, h, w]
        for (int c = 0; c < 3; c++) {
            Arrays.fill(out, c * plane, (c + 1) * plane, table[c][fillRgb[c]]);
            for (int y = 0; y < h; y++) {
                System.arraycopy(px, (c * h + y) * w, out, c * plane + (g.pasteY() + y) * s + g.pasteX(), w);
            }
        }
        for (int y = 0; y < h; y++) {
            int row = 3 * plane + (g.pasteY() + y) * s + g.pasteX();
            Arrays.fill(out, row, row + w, 1.0f);
        }
        return out;
    }
}
