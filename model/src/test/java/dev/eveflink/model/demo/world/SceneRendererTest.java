package dev.eveflink.model.demo.world;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class SceneRendererTest {
    private final SceneRenderer renderer = new SceneRenderer();

    private static int filledPixels(ShapeKind kind, int size) {
        int count = 0;
        for (int dy = 0; dy < size; dy++) {
            for (int dx = 0; dx < size; dx++) {
                count += ShapeRaster.covers(kind, size, dx, dy) ? 1 : 0;
            }
        }
        return count;
    }

    @Test
    void filledAreasMatchTheGeometryOfEachKind() {
        for (int s = 24; s <= 128; s++) {
            double area = (double) s * s;
            assertThat(filledPixels(ShapeKind.SQUARE, s)).isEqualTo(s * s);
            // Pixel-center sampling errs by at most about the perimeter in pixels.
            assertThat(Math.abs(filledPixels(ShapeKind.CIRCLE, s) - Math.PI * area / 4)).as("circle %d", s)
                    .isLessThan(Math.PI * s / 2);
            assertThat(Math.abs(filledPixels(ShapeKind.TRIANGLE, s) - area / 2)).as("triangle %d", s)
                    .isLessThan(2.0 * s);
            assertThat(Math.abs(filledPixels(ShapeKind.CROSS, s) - 5 * area / 9)).as("cross %d", s)
                    .isLessThan(4.0 * s);
        }
    }

    @Test
    void everyKindIsMirrorSymmetricAndShapedAsSpecified() {
        for (int s = 24; s <= 128; s++) {
            for (ShapeKind kind : ShapeKind.values()) {
                for (int dy = 0; dy < s; dy++) {
                    for (int dx = 0; dx < s; dx++) {
                        assertThat(ShapeRaster.covers(kind, s, dx, dy))
                                .isEqualTo(ShapeRaster.covers(kind, s, s - 1 - dx, dy));
                    }
                }
            }
            // The triangle's base spans the box; its rows widen downward; its apex row is at most 1 px wide.
            int previous = 0;
            for (int dy = 0; dy < s; dy++) {
                int row = 0;
                for (int dx = 0; dx < s; dx++) {
                    row += ShapeRaster.covers(ShapeKind.TRIANGLE, s, dx, dy) ? 1 : 0;
                }
                assertThat(row).isGreaterThanOrEqualTo(previous);
                previous = row;
                if (dy == 0) {
                    assertThat(row).isLessThanOrEqualTo(1);
                }
            }
            assertThat(previous).isEqualTo(s);
            // Each cross bar is s/3 thick (within one pixel) and spans the whole box.
            int barWidth = 0;
            for (int dx = 0; dx < s; dx++) {
                barWidth += ShapeRaster.covers(ShapeKind.CROSS, s, dx, 0) ? 1 : 0;
            }
            assertThat(Math.abs(barWidth - s / 3.0)).as("cross bar of size %d", s).isLessThanOrEqualTo(1.0);
            // The circle touches all four sides of its box, never its corners.
            assertThat(ShapeRaster.covers(ShapeKind.CIRCLE, s, s / 2, 0)).isTrue();
            assertThat(ShapeRaster.covers(ShapeKind.CIRCLE, s, 0, s / 2)).isTrue();
            assertThat(ShapeRaster.covers(ShapeKind.CIRCLE, s, 0, 0)).isFalse();
        }
    }

    @Test
    void cleanScenesHaveShapeColorsAtEveryCenterAndTheBackgroundElsewhere() {
        int checked = 0;
        for (int i = 0; checked < 300; i++) {
            Scene scene = World.scene(3, i);
            if (scene.noisy()) {
                continue;
            }
            checked++;
            BufferedImage image = renderer.render(scene);
            assertThat(image.getType()).isEqualTo(BufferedImage.TYPE_3BYTE_BGR);
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
                    int px = x;
                    int py = y;
                    boolean inBox = scene.shapes().stream().map(Shape::box)
                            .anyMatch(b -> px >= b.x() && px < b.endX() && py >= b.y() && py < b.endY());
                    if (!inBox) {
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
    void noiseStaysWithinTwelvePerChannelIsCenteredAndNeverChangesWhatIsRead() {
        int checked = 0;
        for (int i = 0; checked < 40; i++) {
            Scene noisy = World.scene(4, i);
            if (!noisy.noisy()) {
                continue;
            }
            checked++;
            Scene clean = new Scene(noisy.width(), noisy.height(), noisy.background(), false, noisy.noiseSeed(),
                    noisy.shapes());
            byte[] withNoise = renderer.renderRgb(noisy);
            byte[] without = renderer.renderRgb(clean);
            long sum = 0;
            int changed = 0;
            for (int k = 0; k < without.length; k++) {
                int base = without[k] & 0xFF;
                int delta = (withNoise[k] & 0xFF) - base;
                assertThat(Math.abs(delta)).isLessThanOrEqualTo(12);
                if (base >= 12 && base <= 243) {
                    sum += delta;
                }
                changed += delta != 0 ? 1 : 0;
            }
            assertThat(changed).isGreaterThan(without.length / 2);
            assertThat(Math.abs(sum / (double) without.length)).isLessThan(0.5);
            assertThat(PixelReading.read(renderer.render(noisy), noisy))
                    .isEqualTo(PixelReading.read(renderer.render(clean), clean));
        }
    }

    @Test
    void pngIsLosslessAndJpegKeepsWhatIsReadAtEveryQuality() {
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
            assertThat(PixelReading.read(png, scene)).isEqualTo(expected);
            for (int quality : List.of(85, 90, 95)) {
                BufferedImage jpeg = PixelReading.decode(renderer.encode(scene, Encoding.jpeg(quality)));
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
    void encodingIsDeterministic() {
        Scene scene = World.scene(6, 0);
        assertThat(renderer.encode(scene, Encoding.jpeg(88))).isEqualTo(renderer.encode(scene, Encoding.jpeg(88)));
        assertThat(renderer.encode(scene, Encoding.png())).isEqualTo(renderer.encode(scene, Encoding.png()));
        assertThat(renderer.encode(scene, Encoding.jpeg(85))).isNotEqualTo(renderer.encode(scene, Encoding.jpeg(95)));
    }
}
