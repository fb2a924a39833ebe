package dev.eveflink.model.demo.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eveflink.model.demo.world.Java2dSceneRenderer;
import dev.eveflink.model.demo.world.ShapeKind;
import dev.eveflink.model.demo.world.World;
import dev.eveflink.model.demo.world.WorldSample;
import org.junit.jupiter.api.Test;

class EvaluationRendererTest {

    @Test
    void namesOnTheCommandLineSelectTheRenderer() {
        assertThat(EvaluationRenderer.named("world")).isEqualTo(EvaluationRenderer.WORLD);
        assertThat(EvaluationRenderer.named("Java2D")).isEqualTo(EvaluationRenderer.JAVA2D);
        assertThatThrownBy(() -> EvaluationRenderer.named("opengl"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("opengl").hasMessageContaining("java2d");
    }

    @Test
    void worldGivesTheSamplesImageAndJava2dDrawsTheSameSceneInTheSameEncoding() {
        for (int i = 0; i < 40; i++) {
            WorldSample sample = World.sample(DemoEvaluator.HELD_OUT_SEED, i);
            assertThat(EvaluationRenderer.WORLD.image(sample)).isEqualTo(sample.image());
            byte[] java2d = EvaluationRenderer.JAVA2D.image(sample);
            assertThat(java2d).isEqualTo(new Java2dSceneRenderer().encode(sample.scene(), sample.encoding()));
            // A clean scene of squares and of crosses whose bars fall on whole pixels (size divisible by 3) leaves
            // a renderer no choice: the two agree there to the byte. Any other scene has antialiased edges or
            // its own noise.
            boolean noChoice = !sample.scene().noisy() && sample.scene().shapes().stream().allMatch(
                    s -> s.kind() == ShapeKind.SQUARE || (s.kind() == ShapeKind.CROSS && s.box().size() % 3 == 0));
            if (noChoice) {
                assertThat(java2d).isEqualTo(sample.image());
            } else {
                assertThat(java2d).as("%s", sample).isNotEqualTo(sample.image());
            }
        }
    }
}
