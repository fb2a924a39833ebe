package dev.eveflink.model.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.eveflink.model.config.PreprocessorConfig;
import dev.eveflink.model.testutil.GoldenCases;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Geometry against the golden preprocess blocks, the worked examples of the architecture notes, and invariants. */
class EveGeometryTest {
    static final PreprocessorConfig EVE_7B = new PreprocessorConfig(672, 336, 14, 2, 14,
            PreprocessorConfig.CLIP_MEAN, PreprocessorConfig.CLIP_STD, 1.0 / 255.0);
    static final PreprocessorConfig EVE_7B_HD = new PreprocessorConfig(1344, 336, 14, 2, 14,
            PreprocessorConfig.CLIP_MEAN, PreprocessorConfig.CLIP_STD, 1.0 / 255.0);

    static List<GoldenCases.Case> cases() {
        return GoldenImages.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesGoldenPreprocessBlock(GoldenCases.Case c) {
        JsonObject p = c.preprocess();
        int[] orig = c.preprocessInts("orig_wh");
        EveGeometry g = EveGeometry.of(orig[0], orig[1], GoldenImages.TINY);
        int[] basePvp = c.preprocessInts("base_pre_val_post");
        int[] padPvp = c.preprocessInts("pad_pre_val_post");
        int[][] crop = {ints(p, "conv_crop_rows_cols", 0), ints(p, "conv_crop_rows_cols", 1)};
        boolean landscape = g.orientation() == EveGeometry.Orientation.LANDSCAPE;

        assertThat(g.orientation().name().toLowerCase(Locale.ROOT)).isEqualTo(p.get("orientation").getAsString());
        assertThat(g.ratio()).isEqualTo(p.get("ratio").getAsInt());
        assertThat(g.shortSidePatches()).isEqualTo(p.get("short_side_patches_v").getAsInt());
        assertThat(new int[] {g.baseWidth(), g.baseHeight()}).containsExactly(c.preprocessInts("base_wh"));
        assertThat(new int[] {g.basePre(), landscape ? g.baseHeight() : g.baseWidth(), g.basePost()})
                .containsExactly(basePvp);
        assertThat(new int[] {g.resizedWidth(), g.resizedHeight()}).containsExactly(c.preprocessInts("resized_wh"));
        assertThat(g.canvasSize()).isEqualTo(p.get("canvas_size").getAsInt());
        assertThat(new int[] {g.pasteX(), g.pasteY()}).containsExactly(c.preprocessInts("paste_xy"));
        int padPre = landscape ? g.pasteY() : g.pasteX();
        int padValid = landscape ? g.resizedHeight() : g.resizedWidth();
        assertThat(new int[] {padPre, padValid, g.canvasSize() - padPre - padValid}).containsExactly(padPvp);
        assertThat(new int[] {g.convGridSize(), g.convGridSize()})
                .containsExactly(c.preprocessInts("conv_grid_full_hw"));
        assertThat(new int[] {g.convRow0(), g.convRow1()}).containsExactly(crop[0]);
        assertThat(new int[] {g.convCol0(), g.convCol1()}).containsExactly(crop[1]);
        assertThat(new int[] {g.convCropHeight(), g.convCropWidth()}).containsExactly(c.preprocessInts("conv_crop_hw"));
        assertThat(new int[] {g.gridHeight(), g.gridWidth()}).containsExactly(c.preprocessInts("grid_hw"));
        assertThat(g.nVis()).isEqualTo(c.preprocessInt("n_vis"));
        assertThat(g.fillsCanvas()).isEqualTo(g.resizedWidth() == g.resizedHeight());
    }

    private static int[] ints(JsonObject p, String key, int row) {
        var a = p.getAsJsonArray(key).get(row).getAsJsonArray();
        return new int[] {a.get(0).getAsInt(), a.get(1).getAsInt()};
    }

    /** eve-architecture.md §2.5, 640x480. */
    @Test
    void workedExample640x480() {
        EveGeometry g = EveGeometry.of(640, 480, EVE_7B);
        assertThat(g.shortSidePatches()).isEqualTo(18);
        assertThat(new int[] {g.baseWidth(), g.baseHeight(), g.basePre(), g.basePost()})
                .containsExactly(336, 252, 42, 42);
        assertThat(new int[] {g.resizedWidth(), g.resizedHeight(), g.pasteX(), g.pasteY()})
                .containsExactly(672, 504, 0, 84);
        assertThat(new int[] {g.convGridSize(), g.convRow0(), g.convRow1(), g.convCropHeight(), g.convCropWidth()})
                .containsExactly(48, 6, 41, 36, 48);
        assertThat(new int[] {g.gridHeight(), g.gridWidth(), g.nVis()}).containsExactly(18, 24, 451);

        EveGeometry hd = EveGeometry.of(640, 480, EVE_7B_HD);
        assertThat(new int[] {hd.resizedWidth(), hd.resizedHeight(), hd.pasteY()}).containsExactly(1344, 1008, 168);
        assertThat(new int[] {hd.convRow0(), hd.convRow1(), hd.convCropHeight(), hd.convCropWidth()})
                .containsExactly(12, 83, 72, 96);
        assertThat(new int[] {hd.gridHeight(), hd.gridWidth(), hd.nVis()}).containsExactly(36, 48, 1765);
    }

    /** eve-architecture.md §2.5, 1024x256. */
    @Test
    void workedExample1024x256() {
        EveGeometry g = EveGeometry.of(1024, 256, EVE_7B);
        assertThat(new int[] {g.shortSidePatches(), g.baseWidth(), g.baseHeight(), g.basePre(), g.basePost()})
                .containsExactly(6, 336, 84, 126, 126);
        assertThat(new int[] {g.resizedWidth(), g.resizedHeight(), g.pasteY()}).containsExactly(672, 168, 252);
        assertThat(new int[] {g.convCropHeight(), g.convCropWidth(), g.gridHeight(), g.gridWidth(), g.nVis()})
                .containsExactly(12, 48, 6, 24, 151);

        EveGeometry hd = EveGeometry.of(1024, 256, EVE_7B_HD);
        assertThat(new int[] {hd.resizedWidth(), hd.resizedHeight(), hd.pasteY()}).containsExactly(1344, 336, 504);
        assertThat(new int[] {hd.convCropHeight(), hd.convCropWidth(), hd.gridHeight(), hd.gridWidth(), hd.nVis()})
                .containsExactly(24, 96, 12, 48, 589);
    }

    /** eve-architecture.md §2.5, "other sizes" table: {W0, H0, resizedW, resizedH, gridW, gridH, nVis}. */
    @Test
    void workedExamplesTable() {
        int[][] eve7b = {
            {480, 640, 504, 672, 18, 24, 457},
            {1920, 1080, 672, 392, 24, 14, 351},
            {640, 639, 672, 672, 24, 24, 601},
        };
        int[][] hd = {
            {480, 640, 1008, 1344, 36, 48, 1777},
            {1920, 1080, 1344, 784, 48, 28, 1373},
            {640, 639, 1344, 1344, 48, 48, 2353},
        };
        for (int[] row : eve7b) {
            assertRow(EveGeometry.of(row[0], row[1], EVE_7B), row);
        }
        for (int[] row : hd) {
            assertRow(EveGeometry.of(row[0], row[1], EVE_7B_HD), row);
        }
        assertThat(EveGeometry.of(640, 639, EVE_7B).fillsCanvas()).isTrue();
    }

    private static void assertRow(EveGeometry g, int[] row) {
        assertThat(new int[] {g.resizedWidth(), g.resizedHeight(), g.gridWidth(), g.gridHeight(), g.nVis()})
                .as("%dx%d", row[0], row[1])
                .containsExactly(row[2], row[3], row[4], row[5], row[6]);
    }

    /** Unseen sizes: the invariants EVE relies on hold for many random (W, H) in 1..4000. */
    @Test
    void invariantsHoldForRandomSizes() {
        Random rnd = new Random(20240611L);
        for (PreprocessorConfig config : List.of(GoldenImages.TINY, EVE_7B, EVE_7B_HD)) {
            for (int i = 0; i < 5000; i++) {
                int w = 1 + rnd.nextInt(4000);
                int h = i % 10 == 0 ? w : 1 + rnd.nextInt(4000);
                checkInvariants(EveGeometry.of(w, h, config), config);
            }
            for (int[] wh : new int[][] {{1, 1}, {1, 4000}, {4000, 1}, {4000, 4000}, {2, 1}, {1, 2}}) {
                checkInvariants(EveGeometry.of(wh[0], wh[1], config), config);
            }
        }
    }

    private static void checkInvariants(EveGeometry g, PreprocessorConfig config) {
        int s = config.imageSize();
        int cell = config.patchStrideClip() * config.ratio(); // one base cell on the canvas
        int window = config.patchStride() * config.convStride(); // one pooled token
        boolean landscape = g.origWidth() > g.origHeight();
        int longSide = landscape ? g.resizedWidth() : g.resizedHeight();
        int shortSide = landscape ? g.resizedHeight() : g.resizedWidth();
        int pad = landscape ? g.pasteY() : g.pasteX();
        String what = g.origWidth() + "x" + g.origHeight() + " @" + s;

        assertThat(longSide).as(what).isEqualTo(s);
        assertThat(shortSide % cell).as(what).isZero();
        assertThat(shortSide % window).as(what).isZero();
        assertThat(shortSide).as(what).isBetween(cell, s);
        // the short side is the aspect-preserving length rounded UP to whole base cells
        double exact = (double) s * Math.min(g.origWidth(), g.origHeight()) / Math.max(g.origWidth(), g.origHeight());
        assertThat((double) shortSide).as(what).isGreaterThanOrEqualTo(exact - 1e-9).isLessThan(exact + cell);
        // centred: the pad before is a whole number of cells, the pad after equal or one cell more
        int after = s - pad - shortSide;
        assertThat(pad % cell).as(what).isZero();
        assertThat(after - pad).as(what).isIn(0, cell);
        assertThat(landscape ? g.pasteX() : g.pasteY()).as(what).isZero();
        assertThat(g.gridHeight()).as(what).isEqualTo(g.resizedHeight() / window);
        assertThat(g.gridWidth()).as(what).isEqualTo(g.resizedWidth() / window);
        assertThat(g.convCropHeight()).as(what).isEqualTo(g.resizedHeight() / config.patchStride());
        assertThat(g.convCropWidth()).as(what).isEqualTo(g.resizedWidth() / config.patchStride());
        assertThat(g.convRow0() * config.patchStride()).as(what).isEqualTo(g.pasteY());
        assertThat(g.convCol0() * config.patchStride()).as(what).isEqualTo(g.pasteX());
        assertThat(g.nVis()).as(what).isEqualTo(1 + g.gridHeight() * g.gridWidth() + g.gridHeight());
        int maxGrid = s / window;
        assertThat(g.nVis()).as(what).isLessThanOrEqualTo(1 + maxGrid * (maxGrid + 1));
    }
}
