package dev.eveflink.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eveflink.model.engine.InferenceOutcome;
import dev.eveflink.model.engine.OutcomeStatus;
import dev.eveflink.model.generate.YesNoScore;
import dev.eveflink.model.policy.ModerationPolicy;
import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.avro.InferenceResult;
import dev.eveflink.operators.avro.InlineImage;
import dev.eveflink.operators.avro.PolicyDecision;
import dev.eveflink.operators.avro.Task;
import dev.eveflink.operators.inference.ModerationPlan;
import dev.eveflink.operators.inference.ResultMapper;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** FLAG and REVIEW results go to the flagged topic too, carrying their decision; ALLOW ones do not. */
class FlaggedRoutingTest {
    private static final ModerationPolicy POLICY = ModerationPolicy.of("red-alert", "is there anything red?", 0.3, 0.6);
    private final ResultMapper mapper = new ResultMapper("eve-shapes");

    @Test
    void flagAndReviewGoToTheFlaggedTopicWithTheirDecision() {
        InferenceResult flag = moderated(0.9);
        InferenceResult review = moderated(0.4);
        InferenceResult allow = moderated(0.1);

        assertThat(EveTopology.forFlaggedTopic(flag)).isTrue();
        assertThat(flag.getDecision()).isEqualTo(PolicyDecision.FLAG);
        assertThat(EveTopology.forFlaggedTopic(review)).isTrue();
        assertThat(review.getDecision()).isEqualTo(PolicyDecision.REVIEW);
        assertThat(EveTopology.forFlaggedTopic(allow)).isFalse();
    }

    @Test
    void aResultFromAWriterThatOnlySetsTheDecisionIsRoutedByIt() {
        InferenceResult review = moderated(0.4);
        review.setFlagged(false);

        assertThat(EveTopology.forFlaggedTopic(review)).isTrue();
    }

    private InferenceResult moderated(double pYes) {
        ImageEvent event = ImageEvent.newBuilder().setId("m").setTimestamp(Instant.EPOCH)
                .setImage(new InlineImage(ByteBuffer.wrap(new byte[] {1}))).setTask(Task.MODERATE).build();
        InferenceOutcome outcome = new InferenceOutcome("m", OutcomeStatus.OK, null, null, pYes, 1 - pYes,
                List.of(YesNoScore.of(pYes, 1 - pYes)), null, null, "cpu()", 1, 10, 1, 0, 0, 0, 0);
        return mapper.fromOutcomes(event, List.of(outcome), new ModerationPlan("1", List.of(POLICY)), 0, 0);
    }
}
