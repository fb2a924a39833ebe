package dev.eveflink.model.demo.world;

import java.util.Objects;

/**
 * One shape of a scene.
 *
 * @param kind what it is
 * @param color its flat fill
 * @param box its square bounding box
 */
public record Shape(ShapeKind kind, ShapeColor color, BoundingBox box) {
    public Shape {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(color, "color");
        Objects.requireNonNull(box, "box");
    }

    /** {@code {article} {color} {kind}}, e.g. {@code an orange cross}. */
    public String phrase() {
        return WorldSpec.articleFor(color.word()) + " " + color.word() + " " + kind.word();
    }
}
