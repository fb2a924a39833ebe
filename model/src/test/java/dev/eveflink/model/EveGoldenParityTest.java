package dev.eveflink.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.eveflink.model.testutil.GoldenCases;
import dev.eveflink.model.vision.VisionTokenizer;
import dev.eveflink.model.vision.VisualInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every golden case of the independent PyTorch reference (eve-tiny), through our model: patch layer
 * intermediates, visual embeddings, prefill logits, teacher-forced decode logits, greedy tokens, and
 * the batched case against its members run alone. Tolerances are the golden README's.
 */
class EveGoldenParityTest {
    private static final Logger LOG = LoggerFactory.getLogger(EveGoldenParityTest.class);
    private static final double PEL_TOLERANCE = 2e-5;
    private static final double LOGIT_TOLERANCE = 1e-4;

    private static GoldenCases golden;
    private static EveModel model;
    private static final Map<String, String> REPORT = new TreeMap<>();

    @BeforeAll
    static void load() {
        golden = GoldenCases.load();
        model = EveModel.load(golden.root(), Device.cpu());
    }

    @AfterAll
    static void close() {
        model.close();
        LOG.info("max |diff| per case:\n{}", String.join("\n", REPORT.values()));
    }

    private static VisualInput pixels(GoldenCases.Case c, EveModel m) {
        return VisualInput.fromCanvas(c.tensors().floats("pixel_values"), m.imageConfig().imageSize(),
                m.imageConfig().patchStride());
    }

    @Test
    void patchLayerMatchesEveryIntermediate() {
        for (GoldenCases.Case c : golden.withImage()) {
            GoldenCases.Tensors t = c.tensors();
            try (NDScope scope = new NDScope();
                    NDManager m = NDManager.newBaseManager(Device.cpu())) {
                VisionTokenizer.Trace trace = model.vision().trace(m, pixels(c, model));
                double conv = maxDiff(trace.convCrop(), t.floats("pel.conv_crop"), t.shape("pel.conv_crop"));
                double local = maxDiff(trace.localOut(), t.floats("pel.local_out"), t.shape("pel.local_out"));
                double cls = maxDiff(trace.cls(), t.floats("pel.cls"), t.shape("pel.cls"));
                double tokens = maxDiff(trace.tokens(), t.floats("pel.tokens"), t.shape("pel.tokens"));
                double embeds = maxDiff(trace.embeds(), t.floats("visual_embeds"), t.shape("visual_embeds"));
                REPORT.merge(c.id(), String.format("%-28s conv %.1e local %.1e cls %.1e tokens %.1e embeds %.1e",
                        c.id(), conv, local, cls, tokens, embeds), (a, b) -> a + " " + b.substring(29));
                assertThat(java.util.List.of(conv, local, cls, tokens, embeds))
                        .as("%s: conv_crop, local_out, cls, tokens, visual_embeds", c.id())
                        .allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(PEL_TOLERANCE));
                assertThat(trace.embeds().getShape().get(0)).isEqualTo(c.preprocessInt("n_vis"));
                scope.suppressNotUsedWarning();
            }
        }
    }

    @Test
    void prefillAndTeacherForcedStepsMatchEveryCase() {
        for (GoldenCases.Case c : golden.all()) {
            double[] worst = runAlone(c);
            REPORT.merge(c.id() + "~", String.format("%-28s prefill %.1e steps %.1e", c.id(), worst[0], worst[1]),
                    (a, b) -> a + b);
            assertThat(worst[0]).as("%s prefill logits", c.id()).isLessThanOrEqualTo(LOGIT_TOLERANCE);
            assertThat(worst[1]).as("%s teacher-forced step logits", c.id()).isLessThanOrEqualTo(LOGIT_TOLERANCE);
        }
    }

    /** Returns {prefill max diff, step max diff}; asserts the greedy tokens along the way. */
    private static double[] runAlone(GoldenCases.Case c) {
        Prompt prompt = promptOf(c, model);
        long[] expectedTokens = c.tokens();
        float[] stepLogits = c.tensors().floats("step_logits"); // [12, V]
        int vocab = model.config().vocabSize();
        try (PromptBatch batch = model.prefill(List.of(prompt), expectedTokens.length)) {
            assertThat(batch.promptLength(0)).as("%s L", c.id()).isEqualTo(c.seqLen());
            float[] logits = batch.logits()[0];
            double prefill = maxDiff(logits, c.prefillLogitsLast());
            double steps = 0;
            for (int i = 0; i < expectedTokens.length; i++) {
                if (i > 0) {
                    logits = batch.step(new int[] {(int) expectedTokens[i - 1]})[0];
                }
                float[] expected = java.util.Arrays.copyOfRange(stepLogits, i * vocab, (i + 1) * vocab);
                steps = Math.max(steps, maxDiff(logits, expected));
                assertThat(dev.eveflink.model.generate.Sampler.argmax(logits))
                        .as("%s greedy token %d", c.id(), i).isEqualTo((int) expectedTokens[i]);
            }
            return new double[] {prefill, steps};
        }
    }

    @Test
    void batchedCaseEqualsItsMembersRunAlone() {
        GoldenCases.Batched batched = golden.batched();
        List<GoldenCases.Case> members = new ArrayList<>();
        for (String id : batched.members()) {
            members.add(golden.get(id));
        }
        List<Prompt> prompts = members.stream().map(c -> promptOf(c, model)).toList();
        int steps = members.get(0).tokens().length;
        int vocab = model.config().vocabSize();
        try (PromptBatch batch = model.prefill(prompts, steps)) {
            for (int i = 0; i < members.size(); i++) {
                assertThat(batch.promptLength(i)).isEqualTo(batched.lengths()[i]);
            }
            float[][] logits = batch.logits();
            double worst = 0;
            for (int s = 0; s < steps; s++) {
                if (s > 0) {
                    int[] feed = new int[members.size()];
                    for (int i = 0; i < feed.length; i++) {
                        feed[i] = (int) members.get(i).tokens()[s - 1];
                    }
                    logits = batch.step(feed);
                }
                for (int i = 0; i < members.size(); i++) {
                    float[] all = members.get(i).tensors().floats("step_logits");
                    float[] expected = java.util.Arrays.copyOfRange(all, s * vocab, (s + 1) * vocab);
                    worst = Math.max(worst, maxDiff(logits[i], expected));
                    assertThat(dev.eveflink.model.generate.Sampler.argmax(logits[i]))
                            .as("member %d token %d", i, s).isEqualTo((int) members.get(i).tokens()[s]);
                }
            }
            REPORT.put("~batch0", String.format("%-28s batched vs members %.1e", "batch0", worst));
            assertThat(worst).isLessThanOrEqualTo(LOGIT_TOLERANCE);
        }
    }

    /** The case's prompt, its image taken from the reference's own pixel_values. */
    static Prompt promptOf(GoldenCases.Case c, EveModel m) {
        int[] ids = java.util.Arrays.stream(c.inputIds()).mapToInt(x -> (int) x).toArray();
        return c.hasImage() ? new Prompt(ids, pixels(c, m)) : Prompt.textOnly(ids);
    }

    static double maxDiff(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        double worst = 0;
        for (int i = 0; i < actual.length; i++) {
            worst = Math.max(worst, Math.abs((double) actual[i] - expected[i]));
        }
        return worst;
    }

    static double maxDiff(NDArray actual, float[] expected, long[] expectedShape) {
        assertThat(actual.getShape().getShape()).containsExactly(expectedShape);
        return maxDiff(actual.toFloatArray(), expected);
    }
}
