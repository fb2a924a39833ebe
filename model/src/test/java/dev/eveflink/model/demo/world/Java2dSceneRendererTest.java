package dev.eveflink.model.demo.world;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * {@link Java2dSceneRenderer} against the shapes-world spec: canvas size, flat background, each shape's
 * colour and geometry (areas and proportions computed here from the spec's definitions), bounded noise,
 * encodings that keep what is read ({@link PixelReading}, which does not know either renderer's rule), and
 * determinism.
 */
class Java2dSceneRendererTest {
    private final Java2dSceneRenderer renderer = new Java2dSceneRenderer();

    @Test
    void cleanScenesHaveTheCanvasSizeShapeColorsAtEveryCenterAndTheFlatBackgroundOutsideEveryBox() {
        int checked = 0;
        for (int i = 0; checked < 150; i++) {
            Scene scene = World.scene(3, i);
            if (scene.noisy()) {
                continue;
            }
            checked++;
            BufferedImage image = renderer.render(scene);
            assertThat(image.getWidth()).isEqualTo(scene.width());
            assertThat(image.getHeight()).isEqualTo(scene.height());
            for (Shape shape : scene.shapes()) {
                int cx = (int) Math.floor(shape.box().centerX());
                int cy = (int) Math.floor(shape.box().centerY());
                assertThat(PixelReading.distance(image.getRGB(cx, cy), shape.color().rgb())).as("%s", shape).isZero();
            }
            int outside = 0;
            int wrong = 0;
            for (int y = 0; y < scene.height(); y++) {
                for (int x = 0; x < scene.width(); x++) {
                    if (boxAt(scene, x, y) == null) {
                        outside++;
                        wrong += PixelReading.distance(image.getRGB(x, y), scene.background().rgb()) == 0 ? 0 : 1;
                    }
                }
            }
            assertThat(outside).isPositive();
            assertThat(wrong).as("non-background pixels outside every box of %s", scene).isZero();
        }
    }

    @Test
    void eachKindCoversTheAreaTheSpecGivesIt() {
        for (Background background : Background.values()) {
            for (int s = 45; s <= 64; s++) {
                double area = (double) s * s;
                // The spec's geometry: a square fills its box, an inscribed circle pi/4 of it, a triangle with
                // the box's bottom as base and apex at the top half of it, a plus of two s/3 bars 5/9 of it.
                assertThat(coverage(ShapeKind.SQUARE, s, background)).isCloseTo(area, within(area));
                assertThat(coverage(ShapeKind.CIRCLE, s, background)).isCloseTo(Math.PI * area / 4, within(area));
                assertThat(coverage(ShapeKind.TRIANGLE, s, background)).isCloseTo(area / 2, within(area));
                assertThat(coverage(ShapeKind.CROSS, s, background)).isCloseTo(5 * area / 9, within(area));
            }
        }
    }

    @Test
    void trianglesPointUpCrossBarsAreAThirdThickAndCirclesLeaveTheCornersEmpty() {
        for (int s = 45; s <= 64; s++) {
            BufferedImage triangle = renderer.render(single(ShapeKind.TRIANGLE, s, Background.BLACK));
            BufferedImage cross = renderer.render(single(ShapeKind.CROSS, s, Background.BLACK));
            BufferedImage circle = renderer.render(single(ShapeKind.CIRCLE, s, Background.BLACK));
            Rgb color = ShapeColor.GREEN.rgb();
            Rgb black = Background.BLACK.rgb();
            // Rows widen downward from a point to the whole base: the mass of a triangle pointing up lies s/6
            // below the box's center.
            double mass = 0;
            double moment = 0;
            double previousRow = -1;
            for (int dy = 0; dy < s; dy++) {
                double row = 0;
                for (int dx = 0; dx < s; dx++) {
                    row += alpha(triangle.getRGB(X + dx, Y + dy), color, black);
                }
                assertThat(row).as("triangle row %d of size %d", dy, s).isGreaterThan(previousRow);
                previousRow = row;
                mass += row;
                moment += row * (dy + 0.5);
            }
            assertThat(previousRow).as("bottom row of a triangle of size %d", s).isGreaterThan(s - 1.0);
            assertThat(moment / mass - s / 2.0).isCloseTo(s / 6.0, within(s));
            // The top row of a cross crosses only the vertical bar, s/3 wide and centered.
            double bar = 0;
            double barMoment = 0;
            for (int dx = 0; dx < s; dx++) {
                double a = alpha(cross.getRGB(X + dx, Y), color, black);
                bar += a;
                barMoment += a * (dx + 0.5);
            }
            assertThat(bar).as("cross bar of size %d", s).isCloseTo(s / 3.0, within(s));
            assertThat(barMoment / bar).isCloseTo(s / 2.0, within(s));
            // The inscribed circle touches the middle of each side and leaves the corners empty.
            assertThat(alpha(circle.getRGB(X + s / 2, Y), color, black)).isGreaterThan(0.5);
            assertThat(alpha(circle.getRGB(X, Y + s / 2), color, black)).isGreaterThan(0.5);
            assertThat(alpha(circle.getRGB(X, Y), color, black)).isZero();
            assertThat(alpha(circle.getRGB(X + s - 1, Y + s - 1), color, black)).isZero();
        }
    }

    @Test
    void edgesAreAntialiasedSoThePixelsAreItsOwnYetReadAsTheSameScene() {
        SceneRenderer world = new SceneRenderer();
        for (ShapeKind kind : List.of(ShapeKind.CIRCLE, ShapeKind.TRIANGLE)) {
            Scene scene = single(kind, 51, Background.WHITE);
            BufferedImage ours = renderer.render(scene);
            int blended = 0;
            for (int y = 0; y < scene.height(); y++) {
                for (int x = 0; x < scene.width(); x++) {
                    int rgb = ours.getRGB(x, y);
                    boolean pure = PixelReading.distance(rgb, ShapeColor.GREEN.rgb()) == 0
                            || PixelReading.distance(rgb, Background.WHITE.rgb()) == 0;
                    blended += pure ? 0 : 1;
                }
            }
            assertThat(blended).as("antialiased edge pixels of a %s", kind).isGreaterThan(51);
            assertThat(ours.getRGB(0, 0, 128, 128, null, 0, 128))
                    .isNotEqualTo(world.render(scene).getRGB(0, 0, 128, 128, null, 0, 128));
            assertThat(PixelReading.read(ours, scene)).isEqualTo(PixelReading.read(world.render(scene), scene));
        }
    }

    @Test
    void noiseStaysWithinTwelvePerChannelAndNeverChangesWhatIsRead() {
        int checked = 0;
        for (int i = 0; checked < 30; i++) {
            Scene noisy = World.scene(4, i);
            if (!noisy.noisy()) {
                continue;
            }
            checked++;
            Scene clean = new Scene(noisy.width(), noisy.height(), noisy.background(), false, noisy.noiseSeed(),
                    noisy.shapes());
            BufferedImage withNoise = renderer.render(noisy);
            BufferedImage without = renderer.render(clean);
            int changed = 0;
            int channels = 0;
            for (int y = 0; y < noisy.height(); y++) {
                for (int x = 0; x < noisy.width(); x++) {
                    int a = withNoise.getRGB(x, y);
                    int b = without.getRGB(x, y);
                    for (int shift = 0; shift <= 16; shift += 8) {
                        int delta = ((a >> shift) & 0xFF) - ((b >> shift) & 0xFF);
                        assertThat(Math.abs(delta)).isLessThanOrEqualTo(12);
                        changed += delta != 0 ? 1 : 0;
                        channels++;
                    }
                }
            }
            assertThat(changed).isGreaterThan(channels / 2);
            assertThat(PixelReading.read(withNoise, noisy)).isEqualTo(PixelReading.read(without, clean));
        }
    }

    @Test
    void pngIsLosslessAndJpegAtEveryAllowedQualityKeepsWhatIsRead() {
        for (int i = 0; i < 60; i++) {
            Scene scene = World.scene(5, i);
            BufferedImage image = renderer.render(scene);
            BufferedImage png = PixelReading.decode(renderer.encode(scene, Encoding.png()));
            int w = scene.width();
            int h = scene.height();
            assertThat(png.getRGB(0, 0, w, h, null, 0, w)).isEqualTo(image.getRGB(0, 0, w, h, null, 0, w));
            PixelReading.Observed expected = new PixelReading.Observed(scene.background(),
                    scene.shapes().stream().map(Shape::kind).toList(),
                    scene.shapes().stream().map(Shape::color).toList());
            assertThat(PixelReading.read(png, scene)).as("PNG of %s", scene).isEqualTo(expected);
            for (int quality : List.of(85, 90, 95)) {
                BufferedImage jpeg = PixelReading.decode(renderer.encode(scene, Encoding.jpeg(quality)));
                assertThat(jpeg.getWidth()).isEqualTo(w);
                assertThat(jpeg.getHeight()).isEqualTo(h);
                assertThat(PixelReading.read(jpeg, scene)).as("JPEG %d of %s", quality, scene).isEqualTo(expected);
            }
        }
    }

    /** The hardest case: the smallest shapes on the smallest canvas, noisy, JPEG at the lowest quality. */
    @Test
    void smallestShapesOfEveryColorAndKindSurviveNoiseAndJpegOnEveryBackground() {
        for (Background background : Background.values()) {
            for (ShapeColor color : ShapeColor.values()) {
                for (ShapeKind left : ShapeKind.values()) {
                    for (ShapeKind right : ShapeKind.values()) {
                        Scene scene = new Scene(64, 64, background, true, color.ordinal() * 31L + left.ordinal(),
                                List.of(new Shape(left, color, new BoundingBox(0, 0, 24)),
                                        new Shape(right, color, new BoundingBox(40, 40, 24))));
                        BufferedImage jpeg = PixelReading.decode(renderer.encode(scene, Encoding.jpeg(85)));
                        assertThat(PixelReading.read(jpeg, scene)).as("%s", scene).isEqualTo(
                                new PixelReading.Observed(background, List.of(left, right), List.of(color, color)));
                    }
                }
            }
        }
    }

    @Test
    void theSameSceneRendersAndEncodesIdenticallyTwice() {
        for (int i = 0; i < 10; i++) {
            Scene scene = World.scene(6, i);
            int w = scene.width();
            int h = scene.height();
            assertThat(renderer.render(scene).getRGB(0, 0, w, h, null, 0, w))
                    .isEqualTo(new Java2dSceneRenderer().render(scene).getRGB(0, 0, w, h, null, 0, w));
            assertThat(renderer.encode(scene, Encoding.png())).isEqualTo(renderer.encode(scene, Encoding.png()));
            assertThat(renderer.encode(scene, Encoding.jpeg(88))).isEqualTo(renderer.encode(scene, Encoding.jpeg(88)));
        }
        Scene scene = World.scene(6, 0);
        assertThat(renderer.encode(scene, Encoding.jpeg(85))).isNotEqualTo(renderer.encode(scene, Encoding.jpeg(95)));
    }

    /** Top-left corner of the single shape in {@link #single}. */
    private static final int X = 30;
    private static final int Y = 20;

    /** One green shape of the given size on a clean 128x128 canvas (legal sizes there: 45..64). */
    private static Scene single(ShapeKind kind, int size, Background background) {
        return new Scene(128, 128, background, false, 0,
                List.of(new Shape(kind, ShapeColor.GREEN, new BoundingBox(X, Y, size))));
    }

    /** The shape's area as drawn: the sum over its box of each pixel's coverage. */
    private double coverage(ShapeKind kind, int size, Background background) {
        BufferedImage image = renderer.render(single(kind, size, background));
        double sum = 0;
        for (int y = Y; y < Y + size; y++) {
            for (int x = X; x < X + size; x++) {
                sum += alpha(image.getRGB(x, y), ShapeColor.GREEN.rgb(), background.rgb());
            }
        }
        return sum;
    }

    /**
     * How much of a pixel the shape covers, read back from the blend {@code pixel = bg + alpha (color - bg)}:
     * the least-squares alpha over the three channels.
     */
    private static double alpha(int rgb, Rgb color, Rgb background) {
        int[] pixel = {(rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF};
        int[] c = {color.r(), color.g(), color.b()};
        int[] b = {background.r(), background.g(), background.b()};
        double num = 0;
        double den = 0;
        for (int k = 0; k < 3; k++) {
            num += (pixel[k] - b[k]) * (double) (c[k] - b[k]);
            den += (c[k] - b[k]) * (double) (c[k] - b[k]);
        }
        return num / den;
    }

    /** Coverage sums err by rounding each edge pixel to 8 bits: allow a small fraction of the box. */
    private static Offset<Double> within(double scale) {
        return Offset.offset(0.01 * scale);
    }

    private static BoundingBox boxAt(Scene scene, int x, int y) {
        return scene.shapes().stream().map(Shape::box)
                .filter(b -> x >= b.x() && x < b.endX() && y >= b.y() && y < b.endY()).findFirst().orElse(null);
    }
}
