package dev.eveflink.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eveflink.model.engine.InferenceRequest;
import dev.eveflink.model.engine.Task;
import dev.eveflink.model.policy.ModerationPolicy;
import dev.eveflink.model.policy.PolicyAction;
import dev.eveflink.model.policy.PolicySet;
import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.errors.ErrorCode;
import dev.eveflink.operators.errors.EventError;
import dev.eveflink.operators.errors.Outcome;
import dev.eveflink.operators.testutils.ImageEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventMapperTest {

    private static final Instant ARRIVAL = ImageEvents.T0.plusSeconds(1);
    private static final byte[] IMAGE = {9, 8, 7};

    private static final InferenceOptions OPTIONS =
            InferenceOptions.builder("/models/eve")
                    .setTimeout(Duration.ofSeconds(10))
                    .setDefaultMaxNewTokens(48)
                    .build();
    private static final ModerationPolicy VIOLENCE = new ModerationPolicy("violence", "1",
            List.of("Does the image show violence?", "Is there blood?"), 0.3, 0.5, PolicyAction.BLOCK, Set.of());
    private static final ModerationPolicy NUDITY = new ModerationPolicy("nudity", "2",
            List.of("Does the image show nudity?"), 0.4, 0.7, PolicyAction.QUARANTINE, Set.of("tenant-a"));
    private static final ModerationPolicy GAMBLING = new ModerationPolicy("gambling", "1",
            List.of("Does the image show gambling?"), 0.5, 0.5, PolicyAction.LABEL, Set.of("tenant-b"));
    private static final PolicySet SET = new PolicySet("set-3", List.of(VIOLENCE, NUDITY, GAMBLING));

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
    void moderateWithoutAConfiguredPolicyIsRejectedAsUnavailable() {
        Outcome<EventMapper.Requests> outcome =
                new EventMapper(OPTIONS).toRequests(ImageEvents.moderateFull("m1"), ARRIVAL);
        assertThat(outcome.isOk()).isFalse();
        assertThat(outcome.error().code()).isEqualTo(ErrorCode.MODERATION_UNAVAILABLE);
        assertThat(outcome.error().message()).contains("m1").contains("no moderation policy");
    }

    @Test
    void moderateAsksEveryQuestionOfEveryPolicyOfTheTenantWhenItNamesNone() {
        ImageEvent all = ImageEvents.moderateFull("m2"); // tenant-a
        all.setPolicies(null);
        EventMapper.Requests every = requests(OPTIONS, SET, all);
        // One scoring request asks every question: the engine prefills the image once.
        assertThat(every.requests()).singleElement().satisfies(r -> {
            assertThat(r.task()).isEqualTo(Task.SCORE_YES_NO);
            assertThat(r.id()).isEqualTo("m2");
            assertThat(r.questions()).containsExactly(
                    "Does the image show violence?", "Is there blood?", "Does the image show nudity?");
        });
        assertThat(every.moderation().policies()).containsExactly(VIOLENCE, NUDITY);
        assertThat(every.moderation().policySetVersion()).isEqualTo("set-3");

        // tenant-b sees the policies for every tenant and its own.
        all.setTenant("tenant-b");
        assertThat(requests(OPTIONS, SET, all).moderation().policies()).containsExactly(VIOLENCE, GAMBLING);
        // An event without a tenant sees only the policies for every tenant.
        all.setTenant(null);
        assertThat(requests(OPTIONS, SET, all).moderation().policies()).containsExactly(VIOLENCE);
    }

    @Test
    void moderateChecksTheNamedPoliciesInTheEventsOrder() {
        ImageEvent named = ImageEvents.moderateFull("m3");
        named.setPolicies(List.of("nudity", "violence", "nudity"));
        EventMapper.Requests requests = requests(OPTIONS, SET, named);
        assertThat(requests.moderation().policies()).containsExactly(NUDITY, VIOLENCE);
        assertThat(questions(requests)).containsExactly(
                "Does the image show nudity?", "Does the image show violence?", "Is there blood?");
    }

    @Test
    void moderateRefusesAPolicyTheSetLacksOrThatIsOutOfTheTenantsScope() {
        ImageEvent unknown = ImageEvents.moderateFull("m4");
        unknown.setPolicies(List.of("violence", "weapons"));
        EventError missing = refused(OPTIONS, SET, unknown);
        assertThat(missing.code()).isEqualTo(ErrorCode.MODERATION_UNAVAILABLE);
        assertThat(missing.message()).contains("m4").contains("'weapons'").contains("set-3")
                .contains("[violence, nudity, gambling]");

        ImageEvent foreign = ImageEvents.moderateFull("m5"); // tenant-a
        foreign.setPolicies(List.of("gambling"));
        EventError scope = refused(OPTIONS, SET, foreign);
        assertThat(scope.code()).isEqualTo(ErrorCode.MODERATION_UNAVAILABLE);
        assertThat(scope.message()).contains("'gambling'").contains("tenant 'tenant-a'").contains("[tenant-b]");

        ImageEvent empty = ImageEvents.moderateFull("m6");
        empty.setPolicies(List.of());
        assertThat(refused(OPTIONS, SET, empty).code()).as("the validator refuses it first")
                .isEqualTo(ErrorCode.INVALID_POLICIES);
    }

    @Test
    void moderateWithNoPolicyForTheTenantIsRejected() {
        PolicySet onlyB = new PolicySet("b-only", List.of(GAMBLING));
        ImageEvent event = ImageEvents.moderateFull("m7"); // tenant-a
        event.setPolicies(null);
        EventError error = refused(OPTIONS, onlyB, event);
        assertThat(error.code()).isEqualTo(ErrorCode.MODERATION_UNAVAILABLE);
        assertThat(error.message()).contains("b-only").contains("tenant 'tenant-a'");
    }

    @Test
    void theOptionsPoliciesAreTheDefaultAndTheCallersSetWins() {
        InferenceOptions withSet = OPTIONS.toBuilder().setPolicies(SET).build();
        ImageEvent event = ImageEvents.moderateFull("m8");
        event.setPolicies(List.of("violence"));
        Outcome<EventMapper.Requests> byDefault = new EventMapper(withSet).toRequests(event, ARRIVAL);
        assertThat(byDefault.value().moderation().policySetVersion()).isEqualTo("set-3");

        ModerationPolicy newer = new ModerationPolicy("violence", "2", List.of("Any violence?"), 0.5, 0.5,
                PolicyAction.LABEL, Set.of());
        Outcome<EventMapper.Requests> chosen = new EventMapper(withSet)
                .toRequests(event, new PolicySet("set-4", List.of(newer)), ARRIVAL);
        assertThat(chosen.value().moderation().policies()).containsExactly(newer);
        assertThat(questions(chosen.value())).containsExactly("Any violence?");
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

    private static EventMapper.Requests requests(InferenceOptions options, PolicySet set, ImageEvent event) {
        Outcome<EventMapper.Requests> outcome = new EventMapper(options).toRequests(event, set, ARRIVAL);
        assertThat(outcome.error()).isNull();
        return outcome.value();
    }

    private static List<String> questions(EventMapper.Requests requests) {
        return requests.requests().stream().flatMap(r -> r.questions().stream()).toList();
    }

    private static EventError refused(InferenceOptions options, PolicySet set, ImageEvent event) {
        Outcome<EventMapper.Requests> outcome = new EventMapper(options).toRequests(event, set, ARRIVAL);
        assertThat(outcome.isOk()).isFalse();
        return outcome.error();
    }

    private static ErrorCode error(ImageEvent event) {
        Outcome<EventMapper.Requests> outcome = new EventMapper(OPTIONS).toRequests(event, ARRIVAL);
        assertThat(outcome.isOk()).isFalse();
        return outcome.error().code();
    }
}
