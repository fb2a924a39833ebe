package dev.eveflink.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eveflink.model.engine.InferenceOutcome;
import dev.eveflink.model.engine.OutcomeStatus;
import dev.eveflink.model.generate.FinishReason;
import dev.eveflink.model.generate.YesNoScore;
import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.avro.InferenceResult;
import dev.eveflink.operators.avro.PolicyDecision;
import dev.eveflink.operators.avro.PolicyVerdict;
import dev.eveflink.operators.avro.ResultError;
import dev.eveflink.operators.avro.ResultStatus;
import dev.eveflink.operators.avro.Task;
import dev.eveflink.operators.errors.ErrorCode;
import dev.eveflink.operators.errors.EventError;
import dev.eveflink.operators.testutils.ImageEvents;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ResultMapperTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final ModerationQuestion VIOLENCE =
            new ModerationQuestion("violence", "Violent?", 0.3, 0.6);
    private static final ModerationQuestion NUDITY =
            new ModerationQuestion("nudity", "Nude?", 0.5, 0.9);
    private final ResultMapper mapper = new ResultMapper("eve-7b");

    private static InferenceOutcome outcome(String id, OutcomeStatus status, String text,
            double pYes, String code, String message) {
        List<YesNoScore> scores =
                status == OutcomeStatus.OK && !Double.isNaN(pYes)
                        ? List.of(YesNoScore.of(pYes, 1 - pYes))
                        : List.of();
        return new InferenceOutcome(id, status, text, text == null ? null : FinishReason.EOS, pYes,
                1 - pYes, scores, code, message, "gpu(1)", 3, 700, 12, 40 * MS, 90 * MS, 250 * MS,
                380 * MS);
    }

    @Test
    void anOkCaptionCarriesTextTokensAndOperatorTimes() {
        ImageEvent event = ImageEvents.caption("c1", new byte[] {1});
        InferenceOutcome outcome =
                outcome("c1", OutcomeStatus.OK, "a red circle", Double.NaN, null, null);
        long beforeSubmit = 5 * MS;
        long total = 400 * MS;

        InferenceResult result = mapper.fromOutcome(event, outcome, beforeSubmit, total);

        assertThat(result.getId()).isEqualTo("c1");
        assertThat(result.getStatus()).isEqualTo(ResultStatus.OK);
        assertThat(result.getTask()).isEqualTo(Task.CAPTION);
        assertThat(result.getText()).isEqualTo(outcome.text());
        assertThat(result.getPolicies()).isEmpty();
        assertThat(result.getFlagged()).isFalse();
        assertThat(result.getModelId()).isEqualTo("eve-7b");
        assertThat(result.getDevice()).isEqualTo(outcome.device());
        assertThat(result.getBatchSize()).isEqualTo(outcome.batchSize());
        assertThat(result.getPromptTokens()).isEqualTo(outcome.promptTokens());
        assertThat(result.getImageTokens()).isZero();
        assertThat(result.getGeneratedTokens()).isEqualTo(outcome.generatedTokens());
        assertThat(result.getQueueWaitMillis())
                .isEqualTo((beforeSubmit + outcome.queueNanos()) / MS);
        assertThat(result.getPrefillMillis()).isEqualTo(outcome.prefillNanos() / MS);
        assertThat(result.getDecodeMillis()).isEqualTo(outcome.decodeNanos() / MS);
        assertThat(result.getTotalMillis()).isEqualTo(total / MS);
        assertThat(result.getError()).isNull();
    }

    @Test
    void anOkModerationBecomesAVerdictAgainstTheThresholds() {
        ImageEvent event = ImageEvents.moderateFull("m1");
        InferenceResult blocked =
                mapper.fromOutcomes(event,
                        List.of(outcome("m1", OutcomeStatus.OK, null, 0.8, null, null)),
                        List.of(VIOLENCE), 0, 0);
        assertThat(blocked.getText()).isNull();
        assertThat(blocked.getPolicies())
                .containsExactly(new PolicyVerdict("violence", 0.8f, PolicyDecision.FLAG));
        assertThat(blocked.getFlagged()).isTrue();
        // The engine measured longer than the operator (clock granularity): keep the larger.
        assertThat(blocked.getTotalMillis()).isEqualTo(380);

        InferenceResult review =
                mapper.fromOutcomes(event,
                        List.of(outcome("m1", OutcomeStatus.OK, null, 0.4, null, null)),
                        List.of(VIOLENCE), 0, 0);
        assertThat(review.getPolicies())
                .containsExactly(new PolicyVerdict("violence", 0.4f, PolicyDecision.REVIEW));
        assertThat(review.getFlagged()).isTrue();

        InferenceResult allowed =
                mapper.fromOutcomes(event,
                        List.of(outcome("m1", OutcomeStatus.OK, null, 0.2, null, null)),
                        List.of(VIOLENCE), 0, 0);
        assertThat(allowed.getPolicies())
                .containsExactly(new PolicyVerdict("violence", 0.2f, PolicyDecision.ALLOW));
        assertThat(allowed.getFlagged()).isFalse();
    }

    @Test
    void severalPoliciesGiveOneResultWithEveryVerdict() {
        ImageEvent event = ImageEvents.moderateFull("m1");
        InferenceOutcome violence = outcome("m1", OutcomeStatus.OK, null, 0.1, null, null);
        InferenceOutcome nudity = outcome("m1", OutcomeStatus.OK, null, 0.6, null, null);
        InferenceResult result =
                mapper.fromOutcomes(event, List.of(violence, nudity), List.of(VIOLENCE, NUDITY), 0, 0);
        assertThat(result.getStatus()).isEqualTo(ResultStatus.OK);
        assertThat(result.getPolicies())
                .containsExactly(
                        new PolicyVerdict("violence", 0.1f, PolicyDecision.ALLOW),
                        new PolicyVerdict("nudity", 0.6f, PolicyDecision.REVIEW));
        assertThat(result.getFlagged()).as("one REVIEW flags the image").isTrue();
        assertThat(result.getPromptTokens())
                .isEqualTo(violence.promptTokens() + nudity.promptTokens());

        InferenceResult calm =
                mapper.fromOutcomes(event, List.of(violence, violence), List.of(VIOLENCE, NUDITY), 0, 0);
        assertThat(calm.getFlagged()).isFalse();

        // One failed policy fails the whole event: no partial verdicts.
        InferenceOutcome failed =
                InferenceOutcome.failure("m1", OutcomeStatus.FAILED, "BOOM", "oops", "gpu(1)", 0);
        InferenceResult broken =
                mapper.fromOutcomes(event, List.of(violence, failed), List.of(VIOLENCE, NUDITY), 0, 0);
        assertThat(broken.getStatus()).isEqualTo(ResultStatus.FAILED);
        assertThat(broken.getPolicies()).isEmpty();
        assertThat(broken.getError()).isEqualTo(new ResultError("BOOM", "oops"));
    }

    @Test
    void oneOutcomeWithEveryPolicysScoreGivesTheVerdictsInPolicyOrder() {
        ImageEvent event = ImageEvents.moderateFull("m1");
        // p(yes) 0.2 and p(no) 0.2: the normalised score is 0.5, which is what the thresholds see.
        List<YesNoScore> scores = List.of(YesNoScore.of(0.2, 0.2), YesNoScore.of(0.05, 0.9));
        InferenceOutcome both =
                new InferenceOutcome("m1", OutcomeStatus.OK, null, null, 0.2, 0.2, scores, null, null,
                        "gpu(1)", 3, 900, 0, 40 * MS, 90 * MS, 0, 380 * MS);
        InferenceResult result =
                mapper.fromOutcomes(event, List.of(both), List.of(VIOLENCE, NUDITY), 0, 0);
        assertThat(result.getPolicies())
                .containsExactly(
                        new PolicyVerdict("violence", 0.5f, VIOLENCE.decide(0.5)),
                        new PolicyVerdict(
                                "nudity", (float) scores.get(1).score(),
                                NUDITY.decide(scores.get(1).score())));
        assertThat(result.getPolicies().get(0).getDecision()).isEqualTo(PolicyDecision.REVIEW);
        assertThat(result.getPromptTokens()).isEqualTo(900);

        assertThatThrownBy(
                        () -> mapper.fromOutcomes(event, List.of(both), List.of(VIOLENCE), 0, 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("2 scores for 1 policies");
    }

    @Test
    void aNonOkOutcomeCarriesTheEngineErrorOrADefaultCode() {
        ImageEvent event = ImageEvents.caption("f1", new byte[] {1});
        InferenceResult corrupt =
                mapper.fromOutcome(event,
                        outcome("f1", OutcomeStatus.REJECTED, null, Double.NaN, "IMAGE_CORRUPT",
                                "not a PNG"), 0, 0);
        assertThat(corrupt.getStatus()).isEqualTo(ResultStatus.REJECTED);
        assertThat(corrupt.getText()).isNull();
        assertThat(corrupt.getError()).isEqualTo(new ResultError("IMAGE_CORRUPT", "not a PNG"));

        InferenceOutcome bare =
                InferenceOutcome.failure("f1", OutcomeStatus.TIMEOUT, null, null, "gpu(0)", 0);
        InferenceResult late = mapper.fromOutcome(event, bare, 0, 0);
        assertThat(late.getStatus()).isEqualTo(ResultStatus.TIMEOUT);
        assertThat(late.getError().getCode()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED.name());
        assertThat(late.getError().getMessage()).contains("f1").contains("gpu(0)");
        assertThat(late.getModelId()).as("no batch ran it").isNull();

        InferenceOutcome failed =
                InferenceOutcome.failure("f1", OutcomeStatus.FAILED, " ", null, "gpu(0)", 0);
        assertThat(mapper.fromOutcome(event, failed, 0, 0).getError().getCode())
                .isEqualTo(ErrorCode.INFERENCE_FAILED.name());
        InferenceOutcome refused =
                InferenceOutcome.failure("f1", OutcomeStatus.REJECTED, null, null, "gpu(0)", 0);
        assertThat(mapper.fromOutcome(event, refused, 0, 0).getError().getCode())
                .isEqualTo(ErrorCode.ENGINE_REJECTED.name());
    }

    @Test
    void rejectedAndTimedOutResultsSayNoModelRan() {
        ImageEvent event = ImageEvents.caption("r1", new byte[] {1});
        InferenceResult rejected =
                mapper.rejected(event, EventError.of(ErrorCode.IMAGE_EMPTY, "empty"), 2 * MS);
        assertNoModel(rejected, ResultStatus.REJECTED, ErrorCode.IMAGE_EMPTY);
        assertThat(rejected.getError().getMessage()).isEqualTo("empty");
        assertThat(rejected.getTotalMillis()).isEqualTo(2);

        InferenceResult timedOut = mapper.timedOut(event, Duration.ofSeconds(3), 3000 * MS);
        assertNoModel(timedOut, ResultStatus.TIMEOUT, ErrorCode.OPERATOR_TIMEOUT);
        assertThat(timedOut.getError().getMessage()).contains("r1").contains("PT3S");
        assertThat(timedOut.getTotalMillis()).isEqualTo(3000);
    }

    @Test
    void anOutcomeForAnotherRequestIsABug() {
        ImageEvent event = ImageEvents.caption("a", new byte[] {1});
        InferenceOutcome other = outcome("b", OutcomeStatus.OK, "x", Double.NaN, null, null);
        assertThatThrownBy(() -> mapper.fromOutcome(event, other, 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("b")
                .hasMessageContaining("a");
    }

    private static void assertNoModel(InferenceResult result, ResultStatus status, ErrorCode code) {
        assertThat(result.getStatus()).isEqualTo(status);
        assertThat(result.getTask()).isEqualTo(Task.CAPTION);
        assertThat(result.getText()).isNull();
        assertThat(result.getPolicies()).isEqualTo(List.of());
        assertThat(result.getFlagged()).isFalse();
        assertThat(result.getModelId()).isNull();
        assertThat(result.getDevice()).isNull();
        assertThat(result.getBatchSize()).isZero();
        assertThat(result.getPromptTokens()).isZero();
        assertThat(result.getImageTokens()).isZero();
        assertThat(result.getGeneratedTokens()).isZero();
        assertThat(result.getQueueWaitMillis()).isZero();
        assertThat(result.getPrefillMillis()).isZero();
        assertThat(result.getDecodeMillis()).isZero();
        assertThat(result.getError().getCode()).isEqualTo(code.name());
    }
}
