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
    private static final ModerationQuestion NUDITY =
            new ModerationQuestion("nudity", "Does the image show nudity?", 0.4, 0.7);

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
        Outcome<EventMapper.Requests> outcome =
                new EventMapper(OPTIONS).toRequests(ImageEvents.moderateFull("m1"), ARRIVAL);
        assertThat(outcome.isOk()).isFalse();
        assertThat(outcome.error().code()).isEqualTo(ErrorCode.MODERATION_UNAVAILABLE);
        assertThat(outcome.error().message()).contains("m1");
    }

    @Test
    void moderateScoresEveryNamedPolicyAndRejectsAnUnknownOne() {
        InferenceOptions options =
                OPTIONS.toBuilder().addModerationPolicy(VIOLENCE).addModerationPolicy(NUDITY).build();
        ImageEvent all = ImageEvents.moderateFull("m2");
        all.setPolicies(null); // null means every configured policy
        EventMapper.Requests every = requests(options, all);
        // One scoring request asks every policy's question: the engine prefills the image once.
        assertThat(every.requests()).singleElement().satisfies(r -> {
            assertThat(r.task()).isEqualTo(Task.SCORE_YES_NO);
            assertThat(r.id()).isEqualTo("m2");
            assertThat(r.questions()).containsExactly(VIOLENCE.question(), NUDITY.question());
        });
        assertThat(every.policies()).containsExactly(VIOLENCE, NUDITY);

        ImageEvent one = ImageEvents.moderateFull("m3");
        one.setPolicies(List.of("nudity"));
        EventMapper.Requests named = requests(options, one);
        assertThat(named.requests()).singleElement()
                .satisfies(r -> assertThat(r.questions()).containsExactly(NUDITY.question()));
        assertThat(named.policies()).containsExactly(NUDITY);

        // moderateFull names violence and nudity: with only violence configured, nudity is unknown.
        InferenceOptions violenceOnly = OPTIONS.toBuilder().addModerationPolicy(VIOLENCE).build();
        Outcome<EventMapper.Requests> refused =
                new EventMapper(violenceOnly).toRequests(ImageEvents.moderateFull("m4"), ARRIVAL);
        assertThat(refused.error().code()).isEqualTo(ErrorCode.MODERATION_UNAVAILABLE);
        assertThat(refused.error().message()).contains("'nudity'").contains("[violence]");
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
        EventMapper.Requests requests = requests(options, event);
        assertThat(requests.requests()).hasSize(1);
        return requests.requests().get(0);
    }

    private static EventMapper.Requests requests(InferenceOptions options, ImageEvent event) {
        Outcome<EventMapper.Requests> outcome = new EventMapper(options).toRequests(event, ARRIVAL);
        assertThat(outcome.error()).isNull();
        return outcome.value();
    }

    private static ErrorCode error(ImageEvent event) {
        Outcome<EventMapper.Requests> outcome = new EventMapper(OPTIONS).toRequests(event, ARRIVAL);
        assertThat(outcome.isOk()).isFalse();
        return outcome.error().code();
    }
}
