package dev.eveflink.operators.inference;

import dev.eveflink.model.engine.InferenceRequest;
import dev.eveflink.model.engine.Task;
import dev.eveflink.model.generate.SamplingParams;
import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.errors.ErrorCode;
import dev.eveflink.operators.errors.EventError;
import dev.eveflink.operators.errors.Outcome;
import dev.eveflink.operators.validation.ImageEventValidator;
import dev.eveflink.operators.validation.ImageResolver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.apache.flink.util.Preconditions;

/**
 * Turns an Avro {@link ImageEvent} into an engine {@link InferenceRequest}, or into the typed error
 * that makes it a REJECTED result.
 *
 * <p>Task mapping: CAPTION generates with {@link InferenceOptions#captionQuestion()}; VQA generates
 * with the event's question; MODERATE becomes ONE yes/no scoring request that asks the question of
 * every policy it names (every configured policy when its {@code policies} is null), in that order:
 * the engine prefills the image once and scores every question from it. With no policy configured,
 * or when the event names a policy that is not configured, MODERATE is rejected with {@link
 * ErrorCode#MODERATION_UNAVAILABLE}: answering a moderation request with a made-up policy would look
 * like a verdict that nobody configured. Every request carries the event's id.
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
     * The engine request for {@code event} (for MODERATE one request with every policy's question),
     * or why there is none.
     *
     * @param arrival when the event reached the operator (starts the operator timeout)
     */
    public Outcome<Requests> toRequests(ImageEvent event, Instant arrival) {
        Optional<EventError> invalid = validator.validate(event);
        if (invalid.isPresent()) {
            return Outcome.failed(invalid.get());
        }
        Outcome<List<Prompt>> prompts = prompts(event);
        if (!prompts.isOk()) {
            return Outcome.failed(prompts.error());
        }
        Outcome<byte[]> image = resolver.resolve(event);
        if (!image.isOk()) {
            return Outcome.failed(image.error());
        }
        Integer requested = event.getMaxNewTokens();
        int maxNewTokens = requested != null ? requested : options.defaultMaxNewTokens();
        List<String> questions = new ArrayList<>();
        List<ModerationQuestion> policies = new ArrayList<>();
        for (Prompt prompt : prompts.value()) {
            questions.add(prompt.question());
            if (prompt.policy() != null) {
                policies.add(prompt.policy());
            }
        }
        Task task = prompts.value().get(0).task();
        InferenceRequest request =
                new InferenceRequest(
                        event.getId(),
                        task,
                        image.value(),
                        questions,
                        SamplingParams.greedy(maxNewTokens),
                        event.getPriority(),
                        deadline(event, arrival));
        return Outcome.ok(new Requests(List.of(request), policies));
    }

    private Outcome<List<Prompt>> prompts(ImageEvent event) {
        switch (event.getTask()) {
            case CAPTION:
                return Outcome.ok(List.of(new Prompt(Task.GENERATE, options.captionQuestion(), null)));
            case VQA:
                return Outcome.ok(List.of(new Prompt(Task.GENERATE, event.getQuestion(), null)));
            case MODERATE:
                return moderationPrompt(event);
            default:
                // The validator already rejects UNKNOWN; a new symbol must be mapped explicitly.
                return Outcome.failed(
                        ErrorCode.UNKNOWN_TASK,
                        "event " + event.getId() + " has unmapped task " + event.getTask());
        }
    }

    private Outcome<List<Prompt>> moderationPrompt(ImageEvent event) {
        List<ModerationQuestion> configured = options.moderationPolicies();
        if (configured.isEmpty()) {
            return Outcome.failed(
                    ErrorCode.MODERATION_UNAVAILABLE,
                    "event " + event.getId() + " asks for MODERATE, but no moderation policy"
                            + " is configured");
        }
        List<String> named = event.getPolicies();
        List<ModerationQuestion> chosen = new ArrayList<>();
        if (named == null) {
            chosen.addAll(configured);
        } else {
            if (named.isEmpty()) {
                return Outcome.failed(
                        ErrorCode.MODERATION_UNAVAILABLE,
                        "event " + event.getId() + " asks for MODERATE with an empty policy list");
            }
            for (String id : new LinkedHashSet<>(named)) {
                Optional<ModerationQuestion> policy = options.moderationPolicy(id);
                if (policy.isEmpty()) {
                    return Outcome.failed(
                            ErrorCode.MODERATION_UNAVAILABLE,
                            "event " + event.getId() + " asks for policy '" + id
                                    + "', which is not configured (configured: "
                                    + configured.stream().map(ModerationQuestion::policyId).toList()
                                    + ")");
                }
                chosen.add(policy.get());
            }
        }
        List<Prompt> prompts = new ArrayList<>();
        for (ModerationQuestion policy : chosen) {
            prompts.add(new Prompt(Task.SCORE_YES_NO, policy.question(), policy));
        }
        return Outcome.ok(prompts);
    }

    private Instant deadline(ImageEvent event, Instant arrival) {
        Instant operatorDeadline = arrival.plus(options.timeout());
        Instant eventDeadline = event.getDeadline();
        return eventDeadline != null && eventDeadline.isBefore(operatorDeadline)
                ? eventDeadline
                : operatorDeadline;
    }

    /** What the engine is asked; {@code policy} is set for a moderation question. */
    private record Prompt(Task task, String question, ModerationQuestion policy) {}

    /**
     * The engine requests of one event.
     *
     * @param requests the engine requests, all with the event's id (one per event today)
     * @param policies for MODERATE, the policy of each question, in the order of the requests'
     *     questions; else empty
     */
    public record Requests(List<InferenceRequest> requests, List<ModerationQuestion> policies) {
        public Requests {
            requests = List.copyOf(requests);
            policies = List.copyOf(policies);
            Preconditions.checkArgument(!requests.isEmpty(), "an event needs at least one request");
            int questions = requests.stream().mapToInt(r -> r.questions().size()).sum();
            Preconditions.checkArgument(
                    policies.isEmpty() || policies.size() == questions,
                    "%s policies for %s questions",
                    policies.size(),
                    questions);
        }
    }
}
