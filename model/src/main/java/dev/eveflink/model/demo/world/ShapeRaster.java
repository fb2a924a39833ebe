package dev.eveflink.model.demo.world;

/**
 * The rasterization rule of {@link SceneRenderer}: a pixel is filled when its center lies in the
 * closed shape. No antialiasing, no outline.
 *
 * <p>Coordinates are local to the bounding box: pixel (dx, dy), 0 <= dx, dy < s, has its center at
 * (dx + 1/2, dy + 1/2); the box spans [0, s] x [0, s]. All tests are done on doubled offsets from the
 * box center, {@code u = 2dx + 1 - s} and {@code v = 2dy + 1 - s}, so they are exact in integers:
 * <ul>
 *   <li>square: every pixel of the box;</li>
 *   <li>circle (radius s/2, centered): {@code u^2 + v^2 <= s^2};</li>
 *   <li>triangle (apex (s/2, 0), base from (0, s) to (s, s)): the half-width at depth
 *       {@code dy + 1/2} is {@code (dy + 1/2) / 2}, so {@code 2|u| <= 2dy + 1};</li>
 *   <li>cross (bars s/3 thick through the center): {@code 3|u| <= s} or {@code 3|v| <= s}.</li>
 * </ul>
 * Every rule is mirror-symmetric about the vertical axis of the box.
 */
final class ShapeRaster {
    private ShapeRaster() {}

    /** Whether local pixel (dx, dy) of a box of side {@code size} belongs to the shape. */
    static boolean covers(ShapeKind kind, int size, int dx, int dy) {
        int u = 2 * dx + 1 - size;
        int v = 2 * dy + 1 - size;
        return switch (kind) {
            case SQUARE -> true;
            case CIRCLE -> u * u + v * v <= size * size;
            case TRIANGLE -> 2 * Math.abs(u) <= 2 * dy + 1;
            case CROSS -> 3 * Math.abs(u) <= size || 3 * Math.abs(v) <= size;
        };
    }
}
