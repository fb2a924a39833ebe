package dev.eveflink.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eveflink.model.engine.InferenceRequest;
import dev.eveflink.model.engine.Task;
import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.errors.ErrorCode;
import dev.eveflink.operators.errors.Outcome;
import dev.eveflink.operators.testutils.ImageEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventMapperTest {

    private static final Instant ARRIVAL = ImageEvents.T0.plusSeconds(1);
    private static final byte[] IMAGE = {9, 8, 7};

    private static final InferenceOptions OPTIONS =
            InferenceOptions.builder("/models/eve")
                    .setTimeout(Duration.ofSeconds(10))
                    .setDefaultMaxNewTokens(48)
                    .build();
    private static final ModerationQuestion VIOLENCE =
            new ModerationQuestion("violence", "Does the image show violence?", 0.3, 0.5);

    @Test
    void captionGeneratesWithTheConfiguredQuestion() {
        InferenceRequest request = ok(OPTIONS, ImageEvents.caption("c1", IMAGE));
        assertThat(request.id()).isEqualTo("c1");
        assertThat(request.task()).isEqualTo(Task.GENERATE);
        assertThat(request.question()).isEqualTo(OPTIONS.captionQuestion());
        assertThat(request.image()).containsExactly(IMAGE);
        assertThat(request.params().isGreedy()).isTrue();
        assertThat(request.params().maxNewTokens()).isEqualTo(OPTIONS.defaultMaxNewTokens());
        assertThat(request.priority()).isEqualTo(InferenceRequest.DEFAULT_PRIORITY);
        assertThat(request.deadline()).isEqualTo(ARRIVAL.plus(OPTIONS.timeout()));
    }

    @Test
    void vqaGeneratesWithTheEventsQuestionAndLimits() {
        ImageEvent event = ImageEvents.caption("v1", IMAGE);
        event.setTask(dev.eveflink.operators.avro.Task.VQA);
        event.setQuestion("How many circles?");
        event.setMaxNewTokens(5);
        event.setPriority(9);
        event.setDeadline(ARRIVAL.plusSeconds(2));
        InferenceRequest request = ok(OPTIONS, event);
        assertThat(request.task()).isEqualTo(Task.GENERATE);
        assertThat(request.question()).isEqualTo("How many circles?");
        assertThat(request.params().maxNewTokens()).isEqualTo(5);
        assertThat(request.priority()).isEqualTo(9);
        // The event's deadline is earlier than arrival + operator timeout.
        assertThat(request.deadline()).isEqualTo(ARRIVAL.plusSeconds(2));
    }

    @Test
    void moderateWithoutAConfiguredQuestionIsRejectedAsUnavailable() {
        Outcome<InferenceRequest> outcome =
                new EventMapper(OPTIONS).toRequest(ImageEvents.moderateFull("m1"), ARRIVAL);
        assertThat(outcome.isOk()).isFalse();
        assertThat(outcome.error().code()).isEqualTo(ErrorCode.MODERATION_UNAVAILABLE);
        assertThat(outcome.error().message()).contains("m1");
    }

    @Test
    void moderateScoresTheConfiguredQuestionWhenTheEventAsksForItsPolicy() {
        InferenceOptions options = OPTIONS.toBuilder().setModeration(VIOLENCE).build();
        ImageEvent all = ImageEvents.moderateFull("m2");
        all.setPolicies(null); // null means every configured policy
        InferenceRequest request = ok(options, all);
        assertThat(request.task()).isEqualTo(Task.SCORE_YES_NO);
        assertThat(request.question()).isEqualTo(VIOLENCE.question());

        // moderateFull names violence and nudity: violence is configured.
        assertThat(ok(options, ImageEvents.moderateFull("m3")).task())
                .isEqualTo(Task.SCORE_YES_NO);

        ImageEvent other = ImageEvents.moderateFull("m4");
        other.setPolicies(List.of("nudity"));
        Outcome<InferenceRequest> refused = new EventMapper(options).toRequest(other, ARRIVAL);
        assertThat(refused.error().code()).isEqualTo(ErrorCode.MODERATION_UNAVAILABLE);
        assertThat(refused.error().message()).contains("[nudity]").contains("'violence'");
    }

    @Test
    void validationAndImageProblemsComeBackAsTypedErrors() {
        ImageEvent noQuestion = ImageEvents.caption("q1", IMAGE);
        noQuestion.setTask(dev.eveflink.operators.avro.Task.VQA);
        assertThat(error(noQuestion)).isEqualTo(ErrorCode.MISSING_QUESTION);

        assertThat(error(ImageEvents.caption("e1", new byte[0]))).isEqualTo(ErrorCode.IMAGE_EMPTY);
        assertThat(error(ImageEvents.vqaByUri("u1", "file:///etc/passwd", "What?")))
                .isEqualTo(ErrorCode.IMAGE_URI_NOT_ALLOWED);

        ImageEvent unknown = ImageEvents.caption("t1", IMAGE);
        unknown.setTask(dev.eveflink.operators.avro.Task.UNKNOWN);
        assertThat(error(unknown)).isEqualTo(ErrorCode.UNKNOWN_TASK);
    }

    private static InferenceRequest ok(InferenceOptions options, ImageEvent event) {
        Outcome<InferenceRequest> outcome = new EventMapper(options).toRequest(event, ARRIVAL);
        assertThat(outcome.error()).isNull();
        return outcome.value();
    }

    private static ErrorCode error(ImageEvent event) {
        Outcome<InferenceRequest> outcome = new EventMapper(OPTIONS).toRequest(event, ARRIVAL);
        assertThat(outcome.isOk()).isFalse();
        return outcome.error().code();
    }
}
