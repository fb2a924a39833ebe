package dev.eveflink.model.demo.world;

/**
 * The four shape kinds. The exact rasterization of each kind is {@link ShapeRaster}'s job; this enum
 * only names them.
 */
public enum ShapeKind {
    /** A disc inscribed in the bounding box. */
    CIRCLE("circle"),
    /** The axis-aligned bounding box itself. */
    SQUARE("square"),
    /** Isosceles, pointing up: apex at the top middle, horizontal base spanning the box's bottom. */
    TRIANGLE("triangle"),
    /** An upright plus sign: two centered bars across the box, each one third of the size thick. */
    CROSS("cross");

    private final String word;

    ShapeKind(String word) {
        this.word = word;
    }

    /** The word used in captions, questions and answers, e.g. {@code triangle}. */
    public String word() {
        return word;
    }
}
