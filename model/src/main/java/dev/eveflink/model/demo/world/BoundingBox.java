package dev.eveflink.model.demo.world;

/**
 * A square bounding box in pixel coordinates: it covers columns {@code x .. x+size-1} and rows
 * {@code y .. y+size-1}; its center is at {@code (x + size/2, y + size/2)} in continuous coordinates
 * where pixel (i, j) spans [i, i+1) x [j, j+1).
 *
 * @param x leftmost column
 * @param y top row
 * @param size side length in pixels
 */
public record BoundingBox(int x, int y, int size) {
    public BoundingBox {
        if (x < 0 || y < 0 || size <= 0) {
            throw new IllegalArgumentException(
                    "bounding box needs x >= 0, y >= 0 and size > 0, got x=" + x + " y=" + y + " size=" + size);
        }
    }

    /** Twice the horizontal center ({@code 2x + size}), an exact integer. */
    public int doubledCenterX() {
        return 2 * x + size;
    }

    /** Twice the vertical center ({@code 2y + size}), an exact integer. */
    public int doubledCenterY() {
        return 2 * y + size;
    }

    /** The horizontal center in pixels (may end in .5). */
    public double centerX() {
        return x + size / 2.0;
    }

    /** The vertical center in pixels (may end in .5). */
    public double centerY() {
        return y + size / 2.0;
    }

    /** One past the rightmost column. */
    public int endX() {
        return x + size;
    }

    /** One past the bottom row. */
    public int endY() {
        return y + size;
    }

    /** Whether the box lies wholly inside a canvas of the given size. */
    public boolean isInside(int width, int height) {
        return endX() <= width && endY() <= height;
    }

    /**
     * Whether at least {@code gap} background columns or rows separate this box from the other
     * (boxes grown by the gap would still not overlap along one axis).
     */
    public boolean isApartFrom(BoundingBox other, int gap) {
        return endX() + gap <= other.x || other.endX() + gap <= x
                || endY() + gap <= other.y || other.endY() + gap <= y;
    }
}
