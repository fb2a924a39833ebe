package dev.eveflink.model.demo;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.eveflink.model.EveModel;
import dev.eveflink.model.demo.train.DemoEvaluator;
import dev.eveflink.model.demo.world.DemoPolicy;
import dev.eveflink.model.tokenizer.Tokenizer;
import dev.eveflink.model.tokenizer.Tokenizers;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A REGRESSION test of the shipped demo model ({@code model/demo/eve-shapes}), not its quality bar: on 40
 * held-out world images it must keep reaching what it reached when it was shipped (see the model card).
 * The bar itself (captions 90%, VQA 95%, each policy 97%) is not reached yet; when a better model ships,
 * raise these floors with it.
 */
class ShippedDemoModelRegressionTest {
    private static final Path MODEL = Path.of("demo", "eve-shapes");
    // What the shipped model reached on these 40 images (70.0%, 96.6%, 90.0%, 100%), less a margin for
    // rounding-level differences between machines.
    private static final double CAPTION_FLOOR = 0.65;
    private static final double VQA_FLOOR = 0.94;
    private static final double PROHIBITED_FLOOR = 0.85;
    private static final double RED_FLOOR = 0.95;

    @Test
    void theShippedModelKeepsWhatItReached() throws Exception {
        try (EveModel model = EveModel.load(MODEL, Device.cpu());
                Tokenizer tokenizer = Tokenizers.load(MODEL)) {
            DemoEvaluator.Report report = new DemoEvaluator(model, tokenizer).evaluate(DemoEvaluator.HELD_OUT_SEED, 40);
            assertThat(report.caption()).as("caption exact match").isGreaterThanOrEqualTo(CAPTION_FLOOR);
            assertThat(report.vqa()).as("VQA exact match").isGreaterThanOrEqualTo(VQA_FLOOR);
            assertThat(report.policies().get(DemoPolicy.PROHIBITED_SYMBOL)).as("prohibited-symbol accuracy")
                    .isGreaterThanOrEqualTo(PROHIBITED_FLOOR);
            assertThat(report.policies().get(DemoPolicy.RED_ALERT)).as("red-alert accuracy")
                    .isGreaterThanOrEqualTo(RED_FLOOR);
        }
    }
}
