package dev.eveflink.model.demo.world;

import java.util.List;
import java.util.Optional;

/** The layout rules of shapes-world.md, checked exactly (integer arithmetic only). */
final class SceneRules {
    private SceneRules() {}

    /**
     * The first rule a layout breaks, or empty if it keeps them all: each box inside the canvas with
     * a size in the legal range, every pair at least {@link WorldSpec#MIN_GAP} pixels apart, and
     * every pair of horizontal centers at least width/10 apart.
     */
    static Optional<String> firstViolation(int width, int height, List<BoundingBox> boxes) {
        int minSize = WorldSpec.minShapeSize(width, height);
        int maxSize = WorldSpec.maxShapeSize(width, height);
        for (int i = 0; i < boxes.size(); i++) {
            BoundingBox a = boxes.get(i);
            if (a.size() < minSize || a.size() > maxSize) {
                return Optional.of("shape " + i + " has size " + a.size() + ", outside " + minSize + ".." + maxSize
                        + " for a " + width + "x" + height + " canvas");
            }
            if (!a.isInside(width, height)) {
                return Optional.of("shape " + i + " " + a + " leaves the " + width + "x" + height + " canvas");
            }
            for (int j = 0; j < i; j++) {
                BoundingBox b = boxes.get(j);
                if (!a.isApartFrom(b, WorldSpec.MIN_GAP)) {
                    return Optional.of("shapes " + j + " and " + i + " are closer than " + WorldSpec.MIN_GAP + " px");
                }
                if (!centersApart(a, b, width)) {
                    return Optional.of("shapes " + j + " and " + i + " have horizontal centers closer than width/"
                            + WorldSpec.CENTER_SPACING_DIVISOR);
                }
            }
        }
        return Optional.empty();
    }

    /** |cx_a - cx_b| >= width / 10, evaluated on doubled centers: |2cx_a - 2cx_b| * 10 >= 2 * width. */
    static boolean centersApart(BoundingBox a, BoundingBox b, int width) {
        int doubledDistance = Math.abs(a.doubledCenterX() - b.doubledCenterX());
        return (long) doubledDistance * WorldSpec.CENTER_SPACING_DIVISOR >= 2L * width;
    }
}
