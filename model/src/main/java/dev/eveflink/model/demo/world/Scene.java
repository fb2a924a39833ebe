package dev.eveflink.model.demo.world;

import java.util.List;
import java.util.Objects;

/**
 * One scene of the shapes world: what to draw, nothing about how to encode it.
 *
 * <p>A scene is always legal: the constructor enforces every rule of shapes-world.md (canvas range
 * and aspect, 1..3 shapes, sizes, gaps, center spacing), and the shapes ordered left to right by
 * bounding-box center x. The noise seed makes the rendered pixels a pure function of the scene.
 *
 * @param width canvas width in pixels
 * @param height canvas height in pixels
 * @param background flat background
 * @param noisy whether uniform +-12 noise is added to every channel of every pixel
 * @param noiseSeed seed of the noise stream (used only when {@code noisy})
 * @param shapes 1..3 shapes, ordered left to right by bounding-box center x
 */
public record Scene(int width, int height, Background background, boolean noisy, long noiseSeed, List<Shape> shapes) {
    public Scene {
        Objects.requireNonNull(background, "background");
        shapes = List.copyOf(Objects.requireNonNull(shapes, "shapes"));
        if (!WorldSpec.isLegalCanvas(width, height)) {
            throw new IllegalArgumentException("canvas " + width + "x" + height
                    + " is outside 64..256 per side or has an aspect ratio above 2:1");
        }
        if (shapes.size() < WorldSpec.MIN_SHAPES || shapes.size() > WorldSpec.MAX_SHAPES) {
            throw new IllegalArgumentException("a scene has 1..3 shapes, got " + shapes.size());
        }
        List<BoundingBox> boxes = shapes.stream().map(Shape::box).toList();
        String violation = SceneRules.firstViolation(width, height, boxes).orElse(null);
        if (violation != null) {
            throw new IllegalArgumentException("illegal scene layout: " + violation);
        }
        for (int i = 1; i < shapes.size(); i++) {
            if (boxes.get(i - 1).doubledCenterX() >= boxes.get(i).doubledCenterX()) {
                throw new IllegalArgumentException("shapes must be ordered left to right by center x; shape " + i
                        + " " + boxes.get(i) + " is not right of " + boxes.get(i - 1));
            }
        }
    }

    /** The leftmost shape. */
    public Shape leftmost() {
        return shapes.get(0);
    }

    /** The rightmost shape. */
    public Shape rightmost() {
        return shapes.get(shapes.size() - 1);
    }
}
