package dev.eveflink.model.generate;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.eveflink.model.EveModel;
import dev.eveflink.model.Prompt;
import dev.eveflink.model.testutil.GoldenCases;
import dev.eveflink.model.tokenizer.Tokenizer;
import dev.eveflink.model.tokenizer.Tokenizers;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Generation on the golden model: greedy tokens, the finish reasons, batches equal to single runs, sampling. */
class GeneratorTest {
    private static GoldenCases golden;
    private static EveModel model;
    private static Tokenizer tokenizer;
    private static Generator generator;

    @BeforeAll
    static void load() {
        golden = GoldenCases.load();
        model = EveModel.load(golden.root(), Device.cpu());
        tokenizer = Tokenizers.load(golden.root());
        generator = new Generator(model, tokenizer);
    }

    @AfterAll
    static void close() {
        model.close();
        tokenizer.close();
    }

    private static Prompt textPrompt(String id) {
        return Prompt.textOnly(Arrays.stream(golden.get(id).inputIds()).mapToInt(x -> (int) x).toArray());
    }

    private static int[] reference(String id) {
        return Arrays.stream(golden.get(id).tokens()).mapToInt(x -> (int) x).toArray();
    }

    @Test
    void greedyStopsAtTheTokenLimit() {
        Generation g = generator.generate(new GenerationRequest(textPrompt("t00_text_only"), SamplingParams.greedy(7)));
        assertThat(g.tokens()).containsExactly(Arrays.copyOf(reference("t00_text_only"), 7));
        assertThat(g.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(g.promptLength()).isEqualTo(golden.get("t00_text_only").seqLen());
    }

    @Test
    void aStopStringEndsTheTextBeforeIt() {
        int[] ref = reference("t00_text_only");
        String full = tokenizer.decode(Arrays.copyOf(ref, 12));
        // Stop at what tokens 0..4 decode to plus the start of token 5's text: the first 5 tokens survive.
        String prefix = tokenizer.decode(Arrays.copyOf(ref, 5));
        String stop = full.substring(prefix.length(), prefix.length() + 1);
        Generation g = generator.generate(new GenerationRequest(textPrompt("t00_text_only"),
                SamplingParams.greedy(12).withStopStrings(List.of(stop))));
        assertThat(g.finishReason()).isEqualTo(FinishReason.STOP_STRING);
        assertThat(g.text()).doesNotContain(stop);
        assertThat(full).startsWith(g.text());
        assertThat(g.tokens().length).isLessThan(12);
    }

    @Test
    void aBatchGivesWhatEachRequestGetsAlone() {
        List<GenerationRequest> requests = List.of(
                new GenerationRequest(textPrompt("t00_text_only"), SamplingParams.greedy(3)),
                new GenerationRequest(textPrompt("t00_text_only"), SamplingParams.greedy(9)));
        List<Generation> batch = generator.generate(requests);
        assertThat(batch.get(0).tokens()).containsExactly(Arrays.copyOf(reference("t00_text_only"), 3));
        assertThat(batch.get(1).tokens()).containsExactly(Arrays.copyOf(reference("t00_text_only"), 9));
    }

    @Test
    void samplingIsSeededAndTopKOneIsGreedy() {
        SamplingParams sampled = new SamplingParams(10, 1.0, 0.9, 0, 42, List.of());
        Generation a = generator.generate(new GenerationRequest(textPrompt("t00_text_only"), sampled));
        Generation b = generator.generate(new GenerationRequest(textPrompt("t00_text_only"), sampled));
        assertThat(a.tokens()).containsExactly(b.tokens());
        SamplingParams topOne = new SamplingParams(10, 0.7, 1.0, 1, 5, List.of());
        Generation c = generator.generate(new GenerationRequest(textPrompt("t00_text_only"), topOne));
        assertThat(c.tokens()).containsExactly(Arrays.copyOf(reference("t00_text_only"), 10));
    }

    @Test
    void yesNoScoresAreProbabilities() {
        YesNoScorer scorer = new YesNoScorer(tokenizer);
        float[] logits = golden.get("c00_grad_shapes_64x64_q0").prefillLogitsLast();
        YesNoScore yn = scorer.score(logits);
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double total = 0;
        for (float l : logits) {
            total += Math.exp(l - max);
        }
        double expectedYes = 0;
        for (int id : scorer.yesIds()) {
            expectedYes += Math.exp(logits[id] - max) / total;
        }
        assertThat(yn.pYes()).isCloseTo(expectedYes, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(yn.pYes() + yn.pNo()).isBetween(0.0, 1.0);
        assertThat(scorer.yesIds()).isNotEmpty();
        assertThat(Arrays.stream(scorer.yesIds()).boxed().toList())
                .doesNotContainAnyElementsOf(Arrays.stream(scorer.noIds()).boxed().toList());
    }
}
