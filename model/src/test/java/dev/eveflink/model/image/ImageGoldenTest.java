package dev.eveflink.model.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eveflink.model.testutil.GoldenCases;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Decode, resize and normalise every golden image and compare with the golden tensors. */
class ImageGoldenTest {
    private static final Logger LOG = LoggerFactory.getLogger(ImageGoldenTest.class);
    /**
     * JPEG only: the golden decode is libjpeg-turbo (PIL), ours is the JDK's libjpeg 6b; both use the
     * ISLOW IDCT, but the README allows +-1 per sample between JPEG decoders (colour upsampling and
     * YCbCr conversion may round differently). Measured on the gray golden JPEG with JDK 17: max |diff| 0.
     * PNG must be exact.
     */
    private static final int JPEG_DECODE_TOLERANCE = 1;

    static List<GoldenCases.Case> cases() {
        return GoldenImages.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decodesLikePilConvertRgb(GoldenCases.Case c) throws ImageException {
        RgbImage expected = GoldenImages.decodedRgb(c);
        RgbImage actual = new ImageDecoder().decode(c.imageBytes());
        assertThat(actual.width()).isEqualTo(expected.width());
        assertThat(actual.height()).isEqualTo(expected.height());
        int maxDiff = maxAbsDiff(actual.rgb(), expected.rgb());
        LOG.info("{}: decoded_rgb max |diff| = {}", c.id(), maxDiff);
        if (GoldenImages.isJpeg(c)) {
            assertThat(maxDiff).isLessThanOrEqualTo(JPEG_DECODE_TOLERANCE);
        } else {
            assertThat(actual.rgb()).isEqualTo(expected.rgb());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void pillowBicubicIsBitExact(GoldenCases.Case c) {
        RgbImage expected = GoldenImages.resizedRgb(c);
        RgbImage actual = PillowBicubic.resize(GoldenImages.decodedRgb(c), expected.width(), expected.height());
        assertThat(actual.width()).isEqualTo(expected.width());
        assertThat(actual.height()).isEqualTo(expected.height());
        assertThat(maxAbsDiff(actual.rgb(), expected.rgb())).as("max |diff| of resized_rgb").isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void canvasEqualsGoldenPixelValues(GoldenCases.Case c) {
        ImagePreprocessor pre = new ImagePreprocessor(GoldenImages.TINY);
        PreprocessedImage image = pre.preprocess(GoldenImages.decodedRgb(c));
        float[] canvas = pre.canvas(image);
        float[] expected = c.tensors().floats("pixel_values");
        assertThat(c.tensors().shape("pixel_values"))
                .containsExactly(4, image.geometry().canvasSize(), image.geometry().canvasSize());
        assertThat(maxAbsDiff(canvas, expected)).as("max |diff| of pixel_values").isLessThanOrEqualTo(1e-6);
        assertThat(pre.fillRgb()).containsExactly(c.preprocessInts("canvas_fill_rgb"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rectangleIsTheCanvasValidBand(GoldenCases.Case c) {
        ImagePreprocessor pre = new ImagePreprocessor(GoldenImages.TINY);
        PreprocessedImage image = pre.preprocess(GoldenImages.decodedRgb(c));
        EveGeometry g = image.geometry();
        float[] golden = c.tensors().floats("pixel_values"); // [4, S, S]
        int s = g.canvasSize();
        int w = image.width();
        int h = image.height();
        float maxDiff = 0;
        for (int ch = 0; ch < 3; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float band = golden[(ch * s + g.pasteY() + y) * s + g.pasteX() + x];
                    maxDiff = Math.max(maxDiff, Math.abs(band - image.pixels()[(ch * h + y) * w + x]));
                }
            }
        }
        assertThat(maxDiff).isLessThanOrEqualTo(1e-6f);
        // the mask channel is 1 exactly over the band: its sum is the band's area
        double maskSum = 0;
        for (int i = 3 * s * s; i < 4 * s * s; i++) {
            maskSum += golden[i];
        }
        assertThat(maskSum).isEqualTo((double) w * h);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void pipelineFromBytesMatchesGoldenBand(GoldenCases.Case c) throws ImageException {
        ImagePipeline pipeline = new ImagePipeline(GoldenImages.TINY, ImageLimits.defaults());
        PreprocessedImage image = pipeline.process(c.imageBytes());
        float[] viaGoldenDecode = pipeline.preprocessor().preprocess(GoldenImages.decodedRgb(c)).pixels();
        assertThat(image.geometry().nVis()).isEqualTo(c.preprocessInt("n_vis"));
        if (GoldenImages.isJpeg(c)) {
            // a +-1 decode difference moves a normalised value by at most ~1/255/std after resizing
            assertThat(maxAbsDiff(image.pixels(), viaGoldenDecode)).isLessThanOrEqualTo(
                    JPEG_DECODE_TOLERANCE / 255.0 / 0.26 + 1e-6);
        } else {
            assertThat(image.pixels()).isEqualTo(viaGoldenDecode);
        }
    }

    @Test
    void everyGoldenImageCaseIsCovered() {
        assertThat(cases()).hasSize(12).allMatch(GoldenCases.Case::hasImage);
    }

    static int maxAbsDiff(byte[] a, byte[] b) {
        assertThat(a).hasSameSizeAs(b);
        int max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((a[i] & 0xff) - (b[i] & 0xff)));
        }
        return max;
    }

    static double maxAbsDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
