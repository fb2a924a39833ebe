package dev.eveflink.model.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eveflink.model.testutil.GoldenCases;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Resampler paths the golden cases do not reach, canvas layout, and pipeline error passing. */
class ImagePreprocessorTest {
    private final ImagePreprocessor pre = new ImagePreprocessor(GoldenImages.TINY);

    @Test
    void sameSizeResizeIsACopy() {
        RgbImage img = GoldenImages.decodedRgb(GoldenImages.GOLDEN.get("c00_grad_shapes_64x64_q0"));
        assertThat(PillowBicubic.resize(img, 64, 64)).isEqualTo(img);
    }

    @Test
    void verticalOnlyPassIsTheTransposeOfTheHorizontalOnlyPass() {
        // c07 is 72x56 -> 64x56: a horizontal-only resize checked bit-exact against PIL. The passes
        // are the same 1-D filter, so resizing the transposed image vertically must give the transpose.
        GoldenCases.Case c = GoldenImages.GOLDEN.get("c07_alpha_72x56_q1");
        RgbImage decoded = GoldenImages.decodedRgb(c);
        RgbImage resized = GoldenImages.resizedRgb(c);
        assertThat(resized.height()).isEqualTo(decoded.height());
        RgbImage verticalOnly = PillowBicubic.resize(transpose(decoded), decoded.height(), resized.width());
        assertThat(verticalOnly).isEqualTo(transpose(resized));
    }

    @Test
    void resizeRejectsEmptyTargets() {
        RgbImage img = new RgbImage(1, 1, new byte[3]);
        assertThatThrownBy(() -> PillowBicubic.resize(img, 0, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void constantImageStaysConstantUnderResize() {
        byte[] rgb = new byte[37 * 91 * 3];
        for (int i = 0; i < rgb.length; i += 3) {
            rgb[i] = (byte) 200;
            rgb[i + 1] = 17;
            rgb[i + 2] = (byte) 255;
        }
        RgbImage out = PillowBicubic.resize(new RgbImage(37, 91, rgb), 200, 13);
        assertThat(out).isEqualTo(new RgbImage(200, 13, Arrays.copyOf(rgb, 200 * 13 * 3)));
    }

    @Test
    void squareImageCanvasIsTheRectangleWithAFullMask() {
        RgbImage img = GoldenImages.decodedRgb(GoldenImages.GOLDEN.get("c00_grad_shapes_64x64_q0"));
        PreprocessedImage p = pre.preprocess(img);
        float[] canvas = pre.canvas(p);
        int plane = 64 * 64;
        assertThat(Arrays.copyOfRange(canvas, 0, 3 * plane)).isEqualTo(p.pixels());
        float[] ones = new float[plane];
        Arrays.fill(ones, 1.0f);
        assertThat(Arrays.copyOfRange(canvas, 3 * plane, 4 * plane)).isEqualTo(ones);
        assertThat(p.shape()).containsExactly(3, 64, 64);
    }

    @Test
    void preprocessedImageIsValidated() {
        EveGeometry g = EveGeometry.of(10, 10, GoldenImages.TINY);
        assertThatThrownBy(() -> new PreprocessedImage(g, new float[5]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[3, 64, 64]");
    }

    @Test
    void pipelinePassesDecoderRefusalsThrough() {
        ImagePipeline pipeline = new ImagePipeline(GoldenImages.TINY, new ImageLimits(1 << 20, 1000));
        byte[] png = GoldenImages.GOLDEN.get("c00_grad_shapes_64x64_q0").imageBytes();
        assertThatThrownBy(() -> pipeline.process(png)).isInstanceOfSatisfying(ImageException.class,
                e -> assertThat(e.code()).isEqualTo(ImageErrorCode.TOO_MANY_PIXELS));
    }

    private static RgbImage transpose(RgbImage img) {
        int w = img.width();
        int h = img.height();
        byte[] out = new byte[img.rgb().length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                System.arraycopy(img.rgb(), (y * w + x) * 3, out, (x * h + y) * 3, 3);
            }
        }
        return new RgbImage(h, w, out);
    }
}
