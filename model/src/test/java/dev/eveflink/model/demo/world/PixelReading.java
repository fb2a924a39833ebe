package dev.eveflink.model.demo.world;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Reads a scene back from decoded pixels, independently of the renderer's rasterization rule: the
 * color of each box is the majority of its non-background pixels (nearest palette entry); the kind
 * comes from geometry that any faithful renderer shares (fill fraction of the box: square 1,
 * circle pi/4, cross 5/9, triangle 1/2; a triangle's mass sits 1/6 of the size below the center).
 * Only the boxes' positions are taken from the scene: where to look, not what is there.
 */
final class PixelReading {
    /** What the pixels show. */
    record Observed(Background background, List<ShapeKind> kinds, List<ShapeColor> colors) {}

    private PixelReading() {}

    static BufferedImage decode(byte[] encoded) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(encoded));
            if (image == null) {
                throw new IllegalStateException("ImageIO cannot decode " + encoded.length + " bytes");
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Observed read(BufferedImage image, Scene scene) {
        Background background = readBackground(image, scene);
        List<ShapeKind> kinds = new ArrayList<>();
        List<ShapeColor> colors = new ArrayList<>();
        for (Shape shape : scene.shapes()) {
            BoundingBox box = shape.box();
            ShapeColor color = majorityColor(image, box, background);
            colors.add(color);
            kinds.add(kindOf(image, box, color.rgb(), background.rgb()));
        }
        return new Observed(background, kinds, colors);
    }

    /** The nearest background to a corner pixel outside every box (at most 3 boxes, each covers at most 1 corner). */
    private static Background readBackground(BufferedImage image, Scene scene) {
        int[][] corners = {{0, 0}, {image.getWidth() - 1, 0}, {0, image.getHeight() - 1},
                {image.getWidth() - 1, image.getHeight() - 1}};
        for (int[] corner : corners) {
            boolean covered = scene.shapes().stream().map(Shape::box).anyMatch(b -> corner[0] >= b.x()
                    && corner[0] < b.endX() && corner[1] >= b.y() && corner[1] < b.endY());
            if (!covered) {
                int rgb = image.getRGB(corner[0], corner[1]);
                Background best = null;
                for (Background candidate : Background.values()) {
                    if (best == null || distance(rgb, candidate.rgb()) < distance(rgb, best.rgb())) {
                        best = candidate;
                    }
                }
                return best;
            }
        }
        throw new IllegalStateException("every corner covered in " + scene);
    }

    private static ShapeColor majorityColor(BufferedImage image, BoundingBox box, Background background) {
        int[] votes = new int[ShapeColor.values().length];
        for (int y = box.y(); y < box.endY(); y++) {
            for (int x = box.x(); x < box.endX(); x++) {
                int rgb = image.getRGB(x, y);
                ShapeColor nearest = null;
                for (ShapeColor color : ShapeColor.values()) {
                    if (nearest == null || distance(rgb, color.rgb()) < distance(rgb, nearest.rgb())) {
                        nearest = color;
                    }
                }
                if (distance(rgb, nearest.rgb()) < distance(rgb, background.rgb())) {
                    votes[nearest.ordinal()]++;
                }
            }
        }
        int best = 0;
        for (int i = 1; i < votes.length; i++) {
            best = votes[i] > votes[best] ? i : best;
        }
        return ShapeColor.values()[best];
    }

    private static ShapeKind kindOf(BufferedImage image, BoundingBox box, Rgb color, Rgb background) {
        int s = box.size();
        long filled = 0;
        double sumY = 0;
        for (int y = box.y(); y < box.endY(); y++) {
            for (int x = box.x(); x < box.endX(); x++) {
                int rgb = image.getRGB(x, y);
                if (distance(rgb, color) < distance(rgb, background)) {
                    filled++;
                    sumY += y + 0.5;
                }
            }
        }
        double fill = filled / (double) (s * s);
        double massBelowCenter = (sumY / filled - box.centerY()) / s;
        if (massBelowCenter > 1.0 / 12) {
            return ShapeKind.TRIANGLE;
        }
        if (fill > 0.9) {
            return ShapeKind.SQUARE;
        }
        return fill > 0.67 ? ShapeKind.CIRCLE : ShapeKind.CROSS;
    }

    static int distance(int argb, Rgb color) {
        int dr = ((argb >> 16) & 0xFF) - color.r();
        int dg = ((argb >> 8) & 0xFF) - color.g();
        int db = (argb & 0xFF) - color.b();
        return dr * dr + dg * dg + db * db;
    }
}
