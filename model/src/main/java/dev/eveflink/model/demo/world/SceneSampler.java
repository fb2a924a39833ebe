package dev.eveflink.model.demo.world;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Draws random legal scenes, exactly as shapes-world.md describes, from a {@link WorldRandom}.
 *
 * <p>Draw order (fixed, so a seed always gives the same scene): width uniform in 64..256; height
 * uniform in max(64, ceil(w/2))..min(256, 2w); background uniform; noise with probability 3/10;
 * noise seed; count uniform in 1..3; then the layout; then a kind and a color per shape, each
 * uniform. The layout is drawn by rejection: sizes uniform in the legal range, each box's corner
 * uniform over the positions that keep it inside the canvas, and the whole layout is redrawn while
 * it breaks a rule (gap, center spacing). After {@value #LAYOUT_ATTEMPTS_PER_SIZES} failed layouts
 * the sizes are redrawn (some size sets cannot fit, e.g. three half-side squares on a square
 * canvas); the count is kept, so counts stay exactly uniform. After {@value #SIZE_DRAWS} size draws,
 * which no seed has been seen to need, a constructive layout with the smallest legal size is used,
 * so sampling always terminates.
 */
public final class SceneSampler {
    /** Layout redraws with one set of sizes before the sizes are redrawn. */
    static final int LAYOUT_ATTEMPTS_PER_SIZES = 200;
    /** Size redraws before the constructive fallback layout. */
    static final int SIZE_DRAWS = 500;

    /** Draws one scene, consuming random numbers from {@code random}. */
    public Scene sample(WorldRandom random) {
        int width = random.nextInt(WorldSpec.MIN_SIDE, WorldSpec.MAX_SIDE);
        int height = random.nextInt(WorldSpec.minHeight(width), WorldSpec.maxHeight(width));
        Background background = pick(random, Background.values());
        boolean noisy = random.chance(WorldSpec.NOISE_CHANCE_NUMERATOR, WorldSpec.NOISE_CHANCE_DENOMINATOR);
        long noiseSeed = random.nextLong();
        int count = random.nextInt(WorldSpec.MIN_SHAPES, WorldSpec.MAX_SHAPES);
        List<BoundingBox> boxes = layout(random, width, height, count);
        List<Shape> shapes = new ArrayList<>(count);
        for (BoundingBox box : boxes) {
            shapes.add(new Shape(pick(random, ShapeKind.values()), pick(random, ShapeColor.values()), box));
        }
        shapes.sort(Comparator.comparingInt(s -> s.box().doubledCenterX()));
        return new Scene(width, height, background, noisy, noiseSeed, shapes);
    }

    /** A legal layout of {@code count} boxes, in draw order (not yet sorted left to right). */
    static List<BoundingBox> layout(WorldRandom random, int width, int height, int count) {
        int minSize = WorldSpec.minShapeSize(width, height);
        int maxSize = WorldSpec.maxShapeSize(width, height);
        for (int sizeDraw = 0; sizeDraw < SIZE_DRAWS; sizeDraw++) {
            int[] sizes = new int[count];
            for (int i = 0; i < count; i++) {
                sizes[i] = random.nextInt(minSize, maxSize);
            }
            for (int attempt = 0; attempt < LAYOUT_ATTEMPTS_PER_SIZES; attempt++) {
                List<BoundingBox> boxes = new ArrayList<>(count);
                for (int size : sizes) {
                    boxes.add(new BoundingBox(random.nextInt(0, width - size), random.nextInt(0, height - size), size));
                }
                if (SceneRules.firstViolation(width, height, boxes).isEmpty()) {
                    return boxes;
                }
            }
        }
        return fallbackLayout(width, height, count);
    }

    /**
     * A layout that is legal for every legal canvas, built without chance: boxes of the smallest
     * legal size s at the top-left and top-right corners and the bottom middle. Why it is legal:
     * s <= ceil(0.35 m) with m >= 64 gives 2s + 2 <= m, so the top pair is 2 px apart along x and
     * each top box is 2 px apart from the bottom one along y; the centers are at s/2,
     * floor((w-s)/2) + s/2 and w - s/2, at least (w - s)/2 - 1/2 > w/10 apart.
     */
    static List<BoundingBox> fallbackLayout(int width, int height, int count) {
        int size = WorldSpec.minShapeSize(width, height);
        List<BoundingBox> corners = List.of(
                new BoundingBox(0, 0, size),
                new BoundingBox(width - size, 0, size),
                new BoundingBox((width - size) / 2, height - size, size));
        return corners.subList(0, count);
    }

    private static <T> T pick(WorldRandom random, T[] values) {
        return values[random.nextInt(values.length)];
    }
}
