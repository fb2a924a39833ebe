package dev.eveflink.model.image;

import java.util.Objects;

/**
 * One image ready for the vision tower: its geometry and the normalised pixels of the resized
 * rectangle only, CHW {@code [3, resizedHeight, resizedWidth]}. The canvas padding is left out
 * because it never reaches the model (the conv output is cropped to the valid cells); build the
 * full {@code [4, S, S]} canvas with {@link ImagePreprocessor#canvas(PreprocessedImage)} when needed.
 *
 * <p>The array is not copied; treat it as read-only.
 *
 * @param geometry where the image lands
 * @param pixels normalised float32 values, {@code pixels[(c*h + y)*w + x]}
 */
public record PreprocessedImage(EveGeometry geometry, float[] pixels) {

    public PreprocessedImage {
        Objects.requireNonNull(geometry, "geometry");
        Objects.requireNonNull(pixels, "pixels");
        long expected = 3L * geometry.resizedWidth() * geometry.resizedHeight();
        if (pixels.length != expected) {
            throw new IllegalArgumentException("pixels has " + pixels.length + " values, [3, "
                    + geometry.resizedHeight() + ", " + geometry.resizedWidth() + "] needs " + expected);
        }
    }

    /** Resized width, the W of {@code [3, H, W]}. */
    public int width() {
        return geometry.resizedWidth();
    }

    /** Resized height, the H of {@code [3, H, W]}. */
    public int height() {
        return geometry.resizedHeight();
    }

    /** {@code {3, height, width}}. */
    public long[] shape() {
        return new long[] {3, height(), width()};
    }

    /** Visual tokens this image turns into. */
    public int nVis() {
        return geometry.nVis();
    }

    @Override
    public String toString() {
        return "PreprocessedImage[" + geometry.origWidth() + "x" + geometry.origHeight() + " -> [3, " + height()
                + ", " + width() + "], nVis=" + nVis() + "]";
    }
}
