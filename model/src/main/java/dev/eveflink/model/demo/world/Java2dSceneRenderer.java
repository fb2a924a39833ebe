package dev.eveflink.model.demo.world;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * A second, independent renderer of the shapes world, written from the world's specification
 * ({@code docs/shapes-world.md}) alone, the way another implementer would: it draws a {@link Scene} with
 * {@link Graphics2D} on a {@link BufferedImage#TYPE_INT_RGB} image and encodes it with ImageIO. It shares
 * only the scene (so the ground truth is the sampler's) and the spec's colour values; no pixel comes from
 * {@link SceneRenderer}. Its job is to show that the demo model reads the world, not one rasterizer.
 *
 * <p>Geometry, in continuous coordinates where the bounding box is the square
 * {@code [x, x+size) x [y, y+size)}:
 * <ul>
 *   <li>circle: the disc inscribed in the box ({@link Ellipse2D});
 *   <li>square: the box itself;
 *   <li>triangle: apex at the middle of the box's top edge, base the box's bottom edge (isosceles, pointing up);
 *   <li>cross: the union of a horizontal and a vertical bar spanning the box, each {@code size / 3} thick
 *       (not rounded to whole pixels) and centred.
 * </ul>
 *
 * <p>Where the spec leaves room, the choices are those of a plain Java2D implementation:
 * <ul>
 *   <li>antialiasing ON ({@link RenderingHints#VALUE_ANTIALIAS_ON}, pure stroke control, quality rendering):
 *       edge pixels are blends of shape and background, which the project's own renderer never produces;
 *   <li>a flat fill of the shape's colour, no outline (no stroke is drawn at all);
 *   <li>noise, when the scene is noisy: an independent integer uniform in -12..12 per channel and pixel, clamped,
 *       drawn from {@link SplittableRandom} seeded with the scene's noise seed (a different generator and
 *       order from the project's renderer, so the noise pattern is its own);
 *   <li>encoding: ImageIO's PNG writer, or its JPEG writer at the given quality (85..95) with its defaults
 *       (baseline, 4:2:0 chroma subsampling) from an {@code INT_RGB} raster.
 * </ul>
 * Stateless and thread-safe; the same scene always gives the same pixels.
 */
public final class Java2dSceneRenderer {

    /** The scene's pixels, before encoding: {@code scene.width() x scene.height()}, {@code TYPE_INT_RGB}. */
    public BufferedImage render(Scene scene) {
        BufferedImage image = new BufferedImage(scene.width(), scene.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(awt(scene.background().rgb()));
            g.fillRect(0, 0, scene.width(), scene.height());
            for (Shape shape : scene.shapes()) {
                g.setColor(awt(shape.color().rgb()));
                g.fill(outline(shape.kind(), shape.box()));
            }
        } finally {
            g.dispose();
        }
        if (scene.noisy()) {
            addNoise(image, new SplittableRandom(scene.noiseSeed()));
        }
        return image;
    }

    /** The scene rendered and encoded as PNG or JPEG bytes. */
    public byte[] encode(Scene scene, Encoding encoding) {
        // Only the pixels are this renderer's own; PNG/JPEG encoding is ImageIO's either way.
        return SceneRenderer.encode(render(scene), encoding);
    }

    /** The outline of one shape of the given kind filling the box, as the spec defines the kind. */
    static java.awt.Shape outline(ShapeKind kind, BoundingBox box) {
        double x = box.x();
        double y = box.y();
        double s = box.size();
        return switch (kind) {
            case CIRCLE -> new Ellipse2D.Double(x, y, s, s);
            case SQUARE -> new Rectangle2D.Double(x, y, s, s);
            case TRIANGLE -> {
                Path2D.Double triangle = new Path2D.Double();
                triangle.moveTo(x + s / 2, y);
                triangle.lineTo(x + s, y + s);
                triangle.lineTo(x, y + s);
                triangle.closePath();
                yield triangle;
            }
            case CROSS -> {
                // A union, so that the antialiased edges where the bars meet are not blended twice.
                Area cross = new Area(new Rectangle2D.Double(x, y + s / 3, s, s / 3));
                cross.add(new Area(new Rectangle2D.Double(x + s / 3, y, s / 3, s)));
                yield cross;
            }
        };
    }

    private static void addNoise(BufferedImage image, SplittableRandom random) {
        int amplitude = WorldSpec.NOISE_AMPLITUDE;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int r = clamp(((rgb >> 16) & 0xFF) + random.nextInt(-amplitude, amplitude + 1));
                int g = clamp(((rgb >> 8) & 0xFF) + random.nextInt(-amplitude, amplitude + 1));
                int b = clamp((rgb & 0xFF) + random.nextInt(-amplitude, amplitude + 1));
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
    }

    private static Color awt(Rgb rgb) {
        return new Color(rgb.r(), rgb.g(), rgb.b());
    }

    private static int clamp(int value) {
        return Math.max(0, Math.min(255, value));
    }
}
