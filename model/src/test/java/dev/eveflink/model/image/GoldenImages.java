package dev.eveflink.model.image;

import dev.eveflink.model.config.EveConfig;
import dev.eveflink.model.config.PreprocessorConfig;
import dev.eveflink.model.testutil.GoldenCases;
import java.util.List;

/** Shared fixtures of the image tests: the golden cases with images and the tiny config. */
final class GoldenImages {
    static final GoldenCases GOLDEN = GoldenCases.load();
    static final PreprocessorConfig TINY =
            PreprocessorConfig.read(GOLDEN.root(), EveConfig.read(GOLDEN.root()));

    private GoldenImages() {}

    static List<GoldenCases.Case> cases() {
        return GOLDEN.withImage();
    }

    static RgbImage decodedRgb(GoldenCases.Case c) {
        long[] shape = c.tensors().shape("decoded_rgb"); // [H0, W0, 3]
        return new RgbImage((int) shape[1], (int) shape[0], c.tensors().bytes("decoded_rgb"));
    }

    static RgbImage resizedRgb(GoldenCases.Case c) {
        long[] shape = c.tensors().shape("resized_rgb"); // [h, w, 3]
        return new RgbImage((int) shape[1], (int) shape[0], c.tensors().bytes("resized_rgb"));
    }

    static boolean isJpeg(GoldenCases.Case c) {
        return "JPEG".equals(c.json().get("image_file_format").getAsString());
    }
}
