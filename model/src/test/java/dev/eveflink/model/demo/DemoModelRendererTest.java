package dev.eveflink.model.demo;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.eveflink.model.EveModel;
import dev.eveflink.model.demo.train.DemoEvaluator;
import dev.eveflink.model.demo.train.EvaluationRenderer;
import dev.eveflink.model.demo.world.DemoPolicy;
import dev.eveflink.model.demo.world.Java2dSceneRenderer;
import dev.eveflink.model.tokenizer.Tokenizer;
import dev.eveflink.model.tokenizer.Tokenizers;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The shipped demo model ({@code model/demo/eve-shapes}) on images it has never seen the like of: the 40
 * held-out scenes of {@link DemoModelQualityTest}, drawn instead by the independent, antialiased
 * {@link Java2dSceneRenderer} (written from the world's spec, not from the generator's renderer). The same
 * bar holds: caption exact match >= 90%, VQA exact match >= 95%, each policy's decision accuracy >= 97%. The
 * model card has the figures for both renderers on 400 images.
 */
class DemoModelRendererTest {
    private static final Path MODEL = Path.of("demo", "eve-shapes");

    @Test
    void theShippedModelMeetsTheBarOnHeldOutImagesFromAnIndependentRenderer() throws Exception {
        try (EveModel model = EveModel.load(MODEL, Device.cpu());
                Tokenizer tokenizer = Tokenizers.load(MODEL)) {
            DemoEvaluator.Report report = new DemoEvaluator(model, tokenizer)
                    .evaluate(DemoEvaluator.HELD_OUT_SEED, 40, EvaluationRenderer.JAVA2D);
            assertThat(report.caption()).as("caption exact match").isGreaterThanOrEqualTo(0.90);
            assertThat(report.vqa()).as("VQA exact match").isGreaterThanOrEqualTo(0.95);
            assertThat(report.policies().get(DemoPolicy.PROHIBITED_SYMBOL)).as("prohibited-symbol accuracy")
                    .isGreaterThanOrEqualTo(0.97);
            assertThat(report.policies().get(DemoPolicy.RED_ALERT)).as("red-alert accuracy")
                    .isGreaterThanOrEqualTo(0.97);
        }
    }
}
