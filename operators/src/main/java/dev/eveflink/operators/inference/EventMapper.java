package dev.eveflink.operators.inference;

import dev.eveflink.model.engine.InferenceRequest;
import dev.eveflink.model.engine.Task;
import dev.eveflink.model.generate.SamplingParams;
import dev.eveflink.model.policy.ModerationPolicy;
import dev.eveflink.model.policy.PolicySelectionException;
import dev.eveflink.model.policy.PolicySet;
import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.errors.ErrorCode;
import dev.eveflink.operators.errors.EventError;
import dev.eveflink.operators.errors.Outcome;
import dev.eveflink.operators.validation.ImageEventValidator;
import dev.eveflink.operators.validation.ImageResolver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.util.Preconditions;

/**
 * Turns an Avro {@link ImageEvent} into an engine {@link InferenceRequest}, or into the typed error
 * that makes it a REJECTED result.
 *
 * <p>Task mapping: CAPTION generates with {@link InferenceOptions#captionQuestion()}; VQA generates
 * with the event's question; MODERATE checks the policies the event names, or, when it names none
 * ({@code policies} null), every policy of the set that applies to the event's tenant, and becomes
 * ONE yes/no scoring request that asks every question of every chosen policy, in policy then
 * question order ({@link ModerationPlan} remembers which policy each belongs to): the engine
 * prefills the image once and scores every question from it. When no policy is left, or the event
 * names a policy that the set lacks or that does not apply to its tenant, MODERATE is rejected with
 * {@link ErrorCode#MODERATION_UNAVAILABLE}: answering a moderation request with a made-up policy
 * would look like a verdict that nobody configured. Every request carries the event's id.
 *
 * <p>Decoding is greedy with the event's {@code maxNewTokens} (else the default). The engine's
 * deadline is the earlier of the event's deadline and arrival plus the operator timeout, so the
 * engine does not spend the device on requests whose result Flink has already emitted as TIMEOUT.
 *
 * <p>URI images are fetched here, on the calling (task) thread; the default allow-list is empty.
 * Not thread-safe: one per subtask, created in {@code open()}.
 */
public final class EventMapper {

    /** The operator's settings. */
    private final InferenceOptions options;
    /** Checks the request fields. */
    private final ImageEventValidator validator;
    /** Reads the image bytes. */
    private final ImageResolver resolver;

    /** A mapper for {@code options}. */
    public EventMapper(InferenceOptions options) {
        this.options = Preconditions.checkNotNull(options, "options");
        this.validator = new ImageEventValidator(options.validation());
        this.resolver = new ImageResolver(options.imageSource());
    }

    /**
     * The engine request for {@code event} under the options' default policies.
     *
     * @param arrival when the event reached the operator (starts the operator timeout)
     */
    public Outcome<Requests> toRequests(ImageEvent event, Instant arrival) {
        return toRequests(event, options.policies(), arrival);
    }

    /**
     * The engine request for {@code event} (for MODERATE one scoring request with every question of
     * every chosen policy), or why there is none.
     *
     * @param policies the policy set in force for this event (chosen by the caller, e.g. the
     *     tenant's latest set from the policy topic)
     * @param arrival when the event reached the operator (starts the operator timeout)
     */
    public Outcome<Requests> toRequests(ImageEvent event, PolicySet policies, Instant arrival) {
        Preconditions.checkNotNull(policies, "policies");
        Optional<EventError> invalid = validator.validate(event);
        if (invalid.isPresent()) {
            return Outcome.failed(invalid.get());
        }
        Outcome<Plan> plan = plan(event, policies);
        if (!plan.isOk()) {
            return Outcome.failed(plan.error());
        }
        Outcome<byte[]> image = resolver.resolve(event);
        if (!image.isOk()) {
            return Outcome.failed(image.error());
        }
        Integer requested = event.getMaxNewTokens();
        int maxNewTokens = requested != null ? requested : options.defaultMaxNewTokens();
        InferenceRequest request =
                new InferenceRequest(
                        event.getId(),
                        plan.value().task(),
                        image.value(),
                        plan.value().questions(),
                        SamplingParams.greedy(maxNewTokens),
                        event.getPriority(),
                        deadline(event, arrival));
        return Outcome.ok(new Requests(List.of(request), plan.value().moderation()));
    }

    private Outcome<Plan> plan(ImageEvent event, PolicySet policies) {
        switch (event.getTask()) {
            case CAPTION:
                return Outcome.ok(Plan.generate(options.captionQuestion()));
            case VQA:
                return Outcome.ok(Plan.generate(event.getQuestion()));
            case MODERATE:
                return moderationPlan(event, policies);
            default:
                // The validator already rejects UNKNOWN; a new symbol must be mapped explicitly.
                return Outcome.failed(
                        ErrorCode.UNKNOWN_TASK,
                        "event " + event.getId() + " has unmapped task " + event.getTask());
        }
    }

    private static Outcome<Plan> moderationPlan(ImageEvent event, PolicySet policies) {
        List<ModerationPolicy> chosen;
        try {
            chosen = policies.select(event.getPolicies(), event.getTenant());
        } catch (PolicySelectionException e) {
            return unavailable(event, e.getMessage());
        }
        ModerationPlan moderation = new ModerationPlan(policies.version(), chosen);
        return Outcome.ok(new Plan(Task.SCORE_YES_NO, moderation.questions(), moderation));
    }

    private static Outcome<Plan> unavailable(ImageEvent event, String why) {
        return Outcome.failed(
                ErrorCode.MODERATION_UNAVAILABLE,
                "event " + event.getId() + " asks for MODERATE, but " + why);
    }

    private Instant deadline(ImageEvent event, Instant arrival) {
        Instant operatorDeadline = arrival.plus(options.timeout());
        Instant eventDeadline = event.getDeadline();
        return eventDeadline != null && eventDeadline.isBefore(operatorDeadline)
                ? eventDeadline
                : operatorDeadline;
    }

    /** What the engine is asked: one request per question; {@code moderation} null unless MODERATE. */
    private record Plan(Task task, List<String> questions, ModerationPlan moderation) {
        static Plan generate(String question) {
            return new Plan(Task.GENERATE, List.of(question), null);
        }
    }

    /**
     * The engine requests of one event.
     *
     * @param requests the engine requests, all with the event's id (one per event today)
     * @param moderation for MODERATE, the policies the requests' questions belong to, in the order
     *     of the requests' questions ({@link ModerationPlan#questions()}); null otherwise
     */
    public record Requests(List<InferenceRequest> requests, ModerationPlan moderation) {
        public Requests {
            requests = List.copyOf(requests);
            Preconditions.checkArgument(!requests.isEmpty(), "an event needs at least one request");
            int questions = requests.stream().mapToInt(r -> r.questions().size()).sum();
            Preconditions.checkArgument(
                    moderation == null || moderation.questionCount() == questions,
                    "%s moderation questions for %s questions asked",
                    moderation == null ? 0 : moderation.questionCount(),
                    questions);
        }
    }
}
