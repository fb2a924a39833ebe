package dev.eveflink.model.demo.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SceneSamplerTest {
    private static final int SCENES = 6000;

    /** The spec's invariants, checked here with their own (floating-point) arithmetic. */
    private static void assertLegal(Scene scene) {
        int w = scene.width();
        int h = scene.height();
        assertThat(w).isBetween(64, 256);
        assertThat(h).isBetween(64, 256);
        assertThat(Math.max(w, h) / (double) Math.min(w, h)).isLessThanOrEqualTo(2.0);
        int m = Math.min(w, h);
        List<Shape> shapes = scene.shapes();
        assertThat(shapes.size()).isBetween(1, 3);
        for (int i = 0; i < shapes.size(); i++) {
            BoundingBox a = shapes.get(i).box();
            assertThat(a.size()).as("size in %s", scene).isBetween(Math.max(24, (int) Math.ceil(0.35 * m - 1e-9)),
                    (int) Math.floor(0.5 * m));
            assertThat(a.x()).isNotNegative();
            assertThat(a.y()).isNotNegative();
            assertThat(a.x() + a.size()).isLessThanOrEqualTo(w);
            assertThat(a.y() + a.size()).isLessThanOrEqualTo(h);
            for (int j = i + 1; j < shapes.size(); j++) {
                BoundingBox b = shapes.get(j).box();
                // Free columns between the boxes, or free rows: at least 2 either way.
                int columnsBetween = Math.max(b.x() - (a.x() + a.size()), a.x() - (b.x() + b.size()));
                int rowsBetween = Math.max(b.y() - (a.y() + a.size()), a.y() - (b.y() + b.size()));
                assertThat(Math.max(columnsBetween, rowsBetween)).as("gap in %s", scene).isGreaterThanOrEqualTo(2);
                double ca = a.x() + a.size() / 2.0;
                double cb = b.x() + b.size() / 2.0;
                assertThat(cb - ca).as("left-to-right order and spacing in %s", scene).isGreaterThanOrEqualTo(w / 10.0);
            }
        }
    }

    @Test
    void everySampledSceneKeepsEveryRuleAndTheDistributionsAreTheSpecs() {
        int[] counts = new int[4];
        int noisy = 0;
        int[] backgrounds = new int[3];
        int[] kinds = new int[4];
        int[] colors = new int[6];
        int shapes = 0;
        boolean[] widthsSeen = new boolean[257];
        int tallestAspect = 0;
        int widestAspect = 0;
        for (int i = 0; i < SCENES; i++) {
            Scene scene = World.scene(11, i);
            assertLegal(scene);
            counts[scene.shapes().size()]++;
            noisy += scene.noisy() ? 1 : 0;
            backgrounds[scene.background().ordinal()]++;
            for (Shape shape : scene.shapes()) {
                kinds[shape.kind().ordinal()]++;
                colors[shape.color().ordinal()]++;
                shapes++;
            }
            widthsSeen[scene.width()] = true;
            tallestAspect += scene.height() == 2 * scene.width() ? 1 : 0;
            widestAspect += scene.width() == 2 * scene.height() ? 1 : 0;
        }
        for (int count = 1; count <= 3; count++) {
            assertThat(Math.abs(counts[count] - SCENES / 3.0)).as("count %d", count)
                    .isLessThan(5 * Math.sqrt(SCENES * (1 / 3.0) * (2 / 3.0)));
        }
        // Noise: binomial(6000, 0.3), sd about 35; 5 sd.
        assertThat(Math.abs(noisy - 0.3 * SCENES)).isLessThan(5 * Math.sqrt(SCENES * 0.3 * 0.7));
        for (int b : backgrounds) {
            assertThat(Math.abs(b - SCENES / 3.0)).isLessThan(5 * Math.sqrt(SCENES * (1 / 3.0) * (2 / 3.0)));
        }
        for (int k : kinds) {
            assertThat(Math.abs(k - shapes / 4.0)).isLessThan(5 * Math.sqrt(shapes * 0.25 * 0.75));
        }
        for (int c : colors) {
            assertThat(Math.abs(c - shapes / 6.0)).isLessThan(5 * Math.sqrt(shapes / 6.0 * 5 / 6.0));
        }
        assertThat(widthsSeen[64]).isTrue();
        assertThat(widthsSeen[256]).isTrue();
        assertThat(tallestAspect).as("portrait 1:2 canvases occur").isPositive();
        assertThat(widestAspect).as("landscape 2:1 canvases occur").isPositive();
    }

    @Test
    void samplingTerminatesForManySeedsIncludingTheTightestCanvases() {
        SceneSampler sampler = new SceneSampler();
        for (long seed = 0; seed < 20_000; seed++) {
            assertLegal(sampler.sample(new WorldRandom(seed)));
        }
        // The tightest case: three shapes on the smallest square canvas.
        WorldRandom random = new WorldRandom(5);
        for (int i = 0; i < 300; i++) {
            List<BoundingBox> boxes = SceneSampler.layout(random, 64, 64, 3);
            assertThat(SceneRules.firstViolation(64, 64, boxes)).isEmpty();
        }
    }

    @Test
    void fallbackLayoutIsLegalOnEveryCanvasForEveryCount() {
        for (int width = 64; width <= 256; width++) {
            for (int height = WorldSpec.minHeight(width); height <= WorldSpec.maxHeight(width); height++) {
                for (int count = 1; count <= 3; count++) {
                    List<BoundingBox> boxes = SceneSampler.fallbackLayout(width, height, count);
                    assertThat(boxes).hasSize(count);
                    assertThat(SceneRules.firstViolation(width, height, boxes))
                            .as("%dx%d, %d shapes", width, height, count).isEmpty();
                }
            }
        }
    }

    @Test
    void sceneRejectsIllegalLayoutsWithAMessageNamingTheRule() {
        Shape left = new Shape(ShapeKind.CIRCLE, ShapeColor.RED, new BoundingBox(0, 0, 30));
        Shape touching = new Shape(ShapeKind.SQUARE, ShapeColor.BLUE, new BoundingBox(31, 0, 30));
        assertThatThrownBy(() -> new Scene(80, 80, Background.WHITE, false, 0, List.of(left, touching)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("closer than 2 px");
        Shape apart = new Shape(ShapeKind.SQUARE, ShapeColor.BLUE, new BoundingBox(32, 0, 30));
        assertThat(new Scene(80, 80, Background.WHITE, false, 0, List.of(left, apart)).shapes()).hasSize(2);
        assertThatThrownBy(() -> new Scene(80, 80, Background.WHITE, false, 0, List.of(apart, left)))
                .hasMessageContaining("left to right");
        Shape stacked = new Shape(ShapeKind.SQUARE, ShapeColor.BLUE, new BoundingBox(5, 40, 30));
        assertThatThrownBy(() -> new Scene(80, 80, Background.WHITE, false, 0, List.of(left, stacked)))
                .hasMessageContaining("width/10");
        Shape tooBig = new Shape(ShapeKind.SQUARE, ShapeColor.BLUE, new BoundingBox(0, 0, 41));
        assertThatThrownBy(() -> new Scene(80, 80, Background.WHITE, false, 0, List.of(tooBig)))
                .hasMessageContaining("size 41");
        assertThatThrownBy(() -> new Scene(64, 129, Background.WHITE, false, 0, List.of(left)))
                .hasMessageContaining("64x129");
        Shape outside = new Shape(ShapeKind.SQUARE, ShapeColor.BLUE, new BoundingBox(60, 0, 30));
        assertThatThrownBy(() -> new Scene(80, 80, Background.WHITE, false, 0, List.of(outside)))
                .hasMessageContaining("leaves");
    }
}
