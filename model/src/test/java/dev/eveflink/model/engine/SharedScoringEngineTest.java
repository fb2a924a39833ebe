package dev.eveflink.model.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import ai.djl.Device;
import dev.eveflink.model.generate.SamplingParams;
import dev.eveflink.model.generate.YesNoScore;
import dev.eveflink.model.generate.YesNoScorer;
import dev.eveflink.model.testutil.GoldenCases;
import dev.eveflink.model.tokenizer.Tokenizer;
import dev.eveflink.model.tokenizer.Tokenizers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A multi-question scoring request through a real engine on the golden eve-tiny model: every question's
 * score equals the one computed from the golden reference logits of its full prompt, and the naive way
 * (one request per question) agrees.
 */
class SharedScoringEngineTest {

    @Test
    void oneRequestScoresEveryQuestionLikeItsFullPrompt() throws Exception {
        GoldenCases golden = GoldenCases.load();
        GoldenCases.Case q0 = golden.get("c00_grad_shapes_64x64_q0");
        GoldenCases.Case q1 = golden.get("c01_grad_shapes_64x64_q1");
        GoldenCases.Case[] asked = {q0, q1, q0}; // a duplicate too
        List<String> questions = List.of(q0.question(), q1.question(), q0.question());
        EngineOptions options = EngineOptions.builder().setMaxBatchSize(4).setMaxWait(Duration.ZERO).build();
        try (Tokenizer tokenizer = Tokenizers.load(golden.root());
                CloseableInferenceService engine = EveEngines.start(golden.root(), Device.cpu(), options, 512)) {
            YesNoScorer scorer = new YesNoScorer(tokenizer);
            InferenceOutcome shared = engine.submit(InferenceRequest.scoring("shared", q0.imageBytes(), questions,
                    SamplingParams.greedy(1), 5, null)).get();
            List<CompletableFuture<InferenceOutcome>> naive = new ArrayList<>();
            for (int i = 0; i < questions.size(); i++) {
                naive.add(engine.submit(new InferenceRequest("naive" + i, Task.SCORE_YES_NO, q0.imageBytes(),
                        questions.get(i), SamplingParams.greedy(1), 5, null)));
            }

            assertThat(shared.status()).as(shared.errorMessage()).isEqualTo(OutcomeStatus.OK);
            // decoding and preprocessing the image took time, and it is part of the time before the prefill
            assertThat(shared.prepareNanos()).isPositive().isLessThanOrEqualTo(shared.queueNanos());
            // the image's visual tokens, the same whether its questions share one prefill or not
            assertThat(shared.imageTokens()).isPositive().isLessThan(shared.promptTokens())
                    .isEqualTo(naive.get(0).get().imageTokens());
            assertThat(shared.scores()).hasSize(3);
            assertThat(shared.pYes()).isEqualTo(shared.scores().get(0).pYes());
            for (int i = 0; i < asked.length; i++) {
                YesNoScore expected = scorer.score(asked[i].prefillLogitsLast());
                YesNoScore actual = shared.scores().get(i);
                assertThat(actual.pYes()).as("question %d p(yes)", i).isCloseTo(expected.pYes(), offset(1e-4));
                assertThat(actual.pNo()).as("question %d p(no)", i).isCloseTo(expected.pNo(), offset(1e-4));
                assertThat(actual.score()).as("question %d score", i).isCloseTo(expected.score(), offset(1e-4));
                InferenceOutcome alone = naive.get(i).get();
                assertThat(alone.scores()).singleElement()
                        .satisfies(s -> assertThat(s.score()).isCloseTo(actual.score(), offset(1e-4)));
            }
        }
    }
}
