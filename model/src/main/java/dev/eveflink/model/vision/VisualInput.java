package dev.eveflink.model.vision;

import java.util.Objects;

/**
 * The normalised pixels of one image's valid rectangle, CHW {@code [3, height, width]}, both sides
 * multiples of {@code patch_stride * conv_stride}. EVE pads images onto a square canvas, but its patch
 * layer crops the conv output back to this rectangle, so the padding never reaches the model and we
 * never build the canvas on the hot path.
 */
public record VisualInput(float[] chw, int height, int width) {

    public VisualInput {
        Objects.requireNonNull(chw, "chw");
        if (height <= 0 || width <= 0 || chw.length != 3L * height * width) {
            throw new IllegalArgumentException(
                    "pixels must be [3, " + height + ", " + width + "], got " + chw.length + " values");
        }
    }

    /**
     * Recovers the valid rectangle from EVE's full {@code [4, S, S]} tensor (3 normalised channels plus
     * the 0/1 mask), the way EVE's patch layer crops: the bounding box of the patch cells whose
     * average mask is non-zero; an all-zero mask falls back to the top-left 16x16 patches.
     */
    public static VisualInput fromCanvas(float[] canvas, int size, int patchStride) {
        if (canvas.length != 4L * size * size) {
            throw new IllegalArgumentException("pixel_values must be [4, " + size + ", " + size + "], got "
                    + canvas.length + " values");
        }
        int cells = size / patchStride;
        int rowMin = Integer.MAX_VALUE;
        int rowMax = -1;
        int colMin = Integer.MAX_VALUE;
        int colMax = -1;
        int maskBase = 3 * size * size;
        for (int r = 0; r < cells; r++) {
            for (int c = 0; c < cells; c++) {
                if (cellHasMask(canvas, maskBase, size, patchStride, r, c)) {
                    rowMin = Math.min(rowMin, r);
                    rowMax = Math.max(rowMax, r);
                    colMin = Math.min(colMin, c);
                    colMax = Math.max(colMax, c);
                }
            }
        }
        if (rowMax < 0) {
            rowMin = 0;
            colMin = 0;
            rowMax = Math.min(16, cells) - 1;
            colMax = Math.min(16, cells) - 1;
        }
        int y0 = rowMin * patchStride;
        int x0 = colMin * patchStride;
        int height = (rowMax - rowMin + 1) * patchStride;
        int width = (colMax - colMin + 1) * patchStride;
        float[] chw = new float[3 * height * width];
        for (int ch = 0; ch < 3; ch++) {
            for (int y = 0; y < height; y++) {
                System.arraycopy(canvas, (ch * size + y0 + y) * size + x0, chw, (ch * height + y) * width, width);
            }
        }
        return new VisualInput(chw, height, width);
    }

    private static boolean cellHasMask(float[] canvas, int maskBase, int size, int p, int r, int c) {
        for (int y = r * p; y < (r + 1) * p; y++) {
            for (int x = c * p; x < (c + 1) * p; x++) {
                if (canvas[maskBase + y * size + x] != 0f) {
                    return true;
                }
            }
        }
        return false;
    }
}
