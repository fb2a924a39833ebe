package dev.eveflink.model.image;

import dev.eveflink.model.config.PreprocessorConfig;
import java.util.Objects;

/**
 * Where an image of a given size lands in EVE's preprocessing (EVE's {@code process_images}): the
 * resize target, the paste offset on the S x S canvas, the valid conv cells and the pooled token grid.
 * Names follow the golden {@code cases.json -> preprocess} block.
 *
 * @param origWidth W0
 * @param origHeight H0
 * @param orientation landscape if W0 > H0, square if equal, else portrait (square follows the portrait branch)
 * @param ratio image_size / image_size_clip
 * @param shortSidePatches v: base cells on the short side, 1..M
 * @param baseWidth base size on the image_size_clip grid
 * @param baseHeight base size on the image_size_clip grid
 * @param basePre padding before the image on the short axis, base grid px
 * @param basePost padding after the image on the short axis, base grid px
 * @param resizedWidth resize target (base * ratio); the long side equals image_size
 * @param resizedHeight resize target
 * @param canvasSize S = image_size
 * @param pasteX left edge of the resized image on the canvas
 * @param pasteY top edge of the resized image on the canvas
 * @param convGridSize conv cells per canvas side, S / patch_stride
 * @param convRow0 first valid conv row (inclusive)
 * @param convRow1 last valid conv row (inclusive)
 * @param convCol0 first valid conv column (inclusive)
 * @param convCol1 last valid conv column (inclusive)
 * @param gridHeight pooled token rows h
 * @param gridWidth pooled token columns w
 * @param nVis visual tokens: 1 CLS + h*w patches + h split tokens = 1 + h*(w+1)
 */
public record EveGeometry(
        int origWidth,
        int origHeight,
        Orientation orientation,
        int ratio,
        int shortSidePatches,
        int baseWidth,
        int baseHeight,
        int basePre,
        int basePost,
        int resizedWidth,
        int resizedHeight,
        int canvasSize,
        int pasteX,
        int pasteY,
        int convGridSize,
        int convRow0,
        int convRow1,
        int convCol0,
        int convCol1,
        int gridHeight,
        int gridWidth,
        int nVis) {

    /** The branch taken; the golden files spell these in lower case. */
    public enum Orientation { LANDSCAPE, PORTRAIT, SQUARE }

    public EveGeometry {
        Objects.requireNonNull(orientation, "orientation");
        if (origWidth <= 0 || origHeight <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + origWidth + "x" + origHeight);
        }
        if (resizedWidth <= 0 || resizedHeight <= 0 || gridHeight <= 0 || gridWidth <= 0) {
            throw new IllegalArgumentException("empty resize target or token grid");
        }
        if (nVis != 1 + gridHeight * (gridWidth + 1)) {
            throw new IllegalArgumentException("nVis " + nVis + " != 1 + h*(w+1) for " + gridHeight + "x" + gridWidth);
        }
    }

    /**
     * The geometry of a W0 x H0 image, with EVE's arithmetic: {@code v = ceil(B*short/long/P)} evaluated
     * left to right in IEEE double, {@code pre = floor((M - v)/2)*P}, everything times the ratio.
     */
    public static EveGeometry of(int width, int height, PreprocessorConfig config) {
        Objects.requireNonNull(config, "config");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        int b = config.imageSizeClip();
        int p = config.patchStrideClip();
        int m = config.baseCells();
        int r = config.ratio();
        boolean landscape = width > height;
        int shortSide = landscape ? height : width;
        int longSide = landscape ? width : height;
        // Python: math.ceil(B * short / long / P); B*short is an exact int, then two true divisions.
        int v = (int) Math.ceil((double) ((long) b * shortSide) / longSide / p);
        int pre = Math.floorDiv(m - v, 2) * p;
        int valid = v * p;
        int post = b - pre - valid;
        int baseW = landscape ? b : valid;
        int baseH = landscape ? valid : b;
        int s = config.imageSize();
        int ps = config.patchStride();
        int cs = config.convStride();
        int resizedW = baseW * r;
        int resizedH = baseH * r;
        int pasteX = landscape ? 0 : pre * r;
        int pasteY = landscape ? pre * r : 0;
        int gridH = resizedH / ps / cs;
        int gridW = resizedW / ps / cs;
        Orientation o = landscape ? Orientation.LANDSCAPE
                : width == height ? Orientation.SQUARE : Orientation.PORTRAIT;
        return new EveGeometry(width, height, o, r, v, baseW, baseH, pre, post, resizedW, resizedH, s,
                pasteX, pasteY, s / ps,
                pasteY / ps, (pasteY + resizedH) / ps - 1,
                pasteX / ps, (pasteX + resizedW) / ps - 1,
                gridH, gridW, 1 + gridH * (gridW + 1));
    }

    /** Whether the resized image fills the whole canvas (then the mask is all ones). */
    public boolean fillsCanvas() {
        return resizedWidth == canvasSize && resizedHeight == canvasSize;
    }

    /** Valid conv rows, Hc = resizedHeight / patch_stride. */
    public int convCropHeight() {
        return convRow1 - convRow0 + 1;
    }

    /** Valid conv columns, Wc = resizedWidth / patch_stride. */
    public int convCropWidth() {
        return convCol1 - convCol0 + 1;
    }
}
