package dev.eveflink.model.demo.world;

import java.util.List;

/**
 * The fixed numbers and word rules of the shapes world ({@code docs/shapes-world.md}), in one place.
 *
 * <p>All rules are integer-exact: percentages and fractions are evaluated without floating point,
 * so that every renderer following the spec computes the same ranges.
 */
public final class WorldSpec {
    /** Smallest canvas side in pixels. */
    public static final int MIN_SIDE = 64;
    /** Largest canvas side in pixels. */
    public static final int MAX_SIDE = 256;
    /** Largest ratio of the long side to the short side. */
    public static final int MAX_ASPECT = 2;

    /** Smallest shape size in pixels, whatever the canvas. */
    public static final int MIN_SHAPE_SIZE = 24;
    /** Shape size lower bound as a percentage of the short side (rounded up). */
    public static final int SHAPE_SIZE_MIN_PERCENT = 35;
    /** Shape size upper bound as a percentage of the short side (rounded down). */
    public static final int SHAPE_SIZE_MAX_PERCENT = 50;

    /** Fewest shapes in a scene. */
    public static final int MIN_SHAPES = 1;
    /** Most shapes in a scene. */
    public static final int MAX_SHAPES = 3;
    /** Background pixels required between two bounding boxes (along x or along y). */
    public static final int MIN_GAP = 2;
    /** Horizontal centers of two shapes differ by at least width / this. */
    public static final int CENTER_SPACING_DIVISOR = 10;

    /** Probability numerator of a noisy image: noise with probability 3/10. */
    public static final int NOISE_CHANCE_NUMERATOR = 3;
    /** Probability denominator of a noisy image. */
    public static final int NOISE_CHANCE_DENOMINATOR = 10;
    /** Noise is an integer drawn uniformly from -NOISE_AMPLITUDE..+NOISE_AMPLITUDE per channel. */
    public static final int NOISE_AMPLITUDE = 12;

    /** Lowest JPEG quality (ImageIO / IJG scale, percent). */
    public static final int MIN_JPEG_QUALITY = 85;
    /** Highest JPEG quality. */
    public static final int MAX_JPEG_QUALITY = 95;

    /** The answer words for counts, indexed by count. */
    private static final List<String> NUMBER_WORDS = List.of("zero", "one", "two", "three");

    private WorldSpec() {}

    /** Smallest legal height for a canvas of the given width: max(64, ceil(width / 2)). */
    public static int minHeight(int width) {
        checkSide("width", width);
        return Math.max(MIN_SIDE, (width + MAX_ASPECT - 1) / MAX_ASPECT);
    }

    /** Largest legal height for a canvas of the given width: min(256, 2 * width). */
    public static int maxHeight(int width) {
        checkSide("width", width);
        return Math.min(MAX_SIDE, MAX_ASPECT * width);
    }

    /** Whether a canvas is in the world: both sides in 64..256 and long side at most twice the short. */
    public static boolean isLegalCanvas(int width, int height) {
        return width >= MIN_SIDE && width <= MAX_SIDE && height >= MIN_SIDE && height <= MAX_SIDE
                && Math.max(width, height) <= MAX_ASPECT * Math.min(width, height);
    }

    /** Smallest shape size for the canvas: max(24, ceil(35% of min(width, height))). */
    public static int minShapeSize(int width, int height) {
        int m = Math.min(width, height);
        return Math.max(MIN_SHAPE_SIZE, ceilDiv(SHAPE_SIZE_MIN_PERCENT * m, 100));
    }

    /** Largest shape size for the canvas: floor(50% of min(width, height)). */
    public static int maxShapeSize(int width, int height) {
        int m = Math.min(width, height);
        return SHAPE_SIZE_MAX_PERCENT * m / 100;
    }

    /** The article before a word: {@code an} before a vowel, {@code a} otherwise. */
    public static String articleFor(String word) {
        if (word.isEmpty()) {
            throw new IllegalArgumentException("no article for an empty word");
        }
        return "aeiou".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
    }

    /** The answer word for a shape count: {@code one}, {@code two} or {@code three}. */
    public static String numberWord(int count) {
        if (count < MIN_SHAPES || count > MAX_SHAPES) {
            throw new IllegalArgumentException("shape count must be in 1..3, got " + count);
        }
        return NUMBER_WORDS.get(count);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static void checkSide(String name, int side) {
        if (side < MIN_SIDE || side > MAX_SIDE) {
            throw new IllegalArgumentException(name + " must be in 64..256, got " + side);
        }
    }
}
