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
import java.util.List;
import java.util.Optional;
import org.apache.flink.util.Preconditions;

/**
 * Turns an Avro {@link ImageEvent} into an engine {@link InferenceRequest}, or into the typed error
 * that makes it a REJECTED result.
 *
 * <p>Task mapping: CAPTION generates with {@link InferenceOptions#captionQuestion()}; VQA generates
 * with the event's question; MODERATE scores yes/no with the configured {@link
 * ModerationQuestion}. Without one, or when the event names policies and none is the configured
 * one, MODERATE is rejected with {@link ErrorCode#MODERATION_UNAVAILABLE}: answering a moderation
 * request with a made-up policy would look like a verdict that nobody configured.
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
     * The engine request for {@code event}, or why there is none.
     *
     * @param arrival when the event reached the operator (starts the operator timeout)
     */
    public Outcome<InferenceRequest> toRequest(ImageEvent event, Instant arrival) {
        Optional<EventError> invalid = validator.validate(event);
        if (invalid.isPresent()) {
            return Outcome.failed(invalid.get());
        }
        Outcome<Prompt> prompt = prompt(event);
        if (!prompt.isOk()) {
            return Outcome.failed(prompt.error());
        }
        Outcome<byte[]> image = resolver.resolve(event);
        if (!image.isOk()) {
            return Outcome.failed(image.error());
        }
        Integer requested = event.getMaxNewTokens();
        int maxNewTokens = requested != null ? requested : options.defaultMaxNewTokens();
        return Outcome.ok(
                new InferenceRequest(
                        event.getId(),
                        prompt.value().task(),
                        image.value(),
                        prompt.value().question(),
                        SamplingParams.greedy(maxNewTokens),
                        event.getPriority(),
                        deadline(event, arrival)));
    }

    private Outcome<Prompt> prompt(ImageEvent event) {
        switch (event.getTask()) {
            case CAPTION:
                return Outcome.ok(new Prompt(Task.GENERATE, options.captionQuestion()));
            case VQA:
                return Outcome.ok(new Prompt(Task.GENERATE, event.getQuestion()));
            case MODERATE:
                return moderationPrompt(event);
            default:
                // The validator already rejects UNKNOWN; a new symbol must be mapped explicitly.
                return Outcome.failed(
                        ErrorCode.UNKNOWN_TASK,
                        "event " + event.getId() + " has unmapped task " + event.getTask());
        }
    }

    private Outcome<Prompt> moderationPrompt(ImageEvent event) {
        ModerationQuestion moderation = options.moderation();
        if (moderation == null) {
            return Outcome.failed(
                    ErrorCode.MODERATION_UNAVAILABLE,
                    "event " + event.getId() + " asks for MODERATE, but no moderation question"
                            + " is configured");
        }
        List<String> policies = event.getPolicies();
        if (policies != null && !policies.contains(moderation.policyId())) {
            return Outcome.failed(
                    ErrorCode.MODERATION_UNAVAILABLE,
                    "event " + event.getId() + " asks for policies " + policies
                            + ", but only '" + moderation.policyId() + "' is configured");
        }
        return Outcome.ok(new Prompt(Task.SCORE_YES_NO, moderation.question()));
    }

    private Instant deadline(ImageEvent event, Instant arrival) {
        Instant operatorDeadline = arrival.plus(options.timeout());
        Instant eventDeadline = event.getDeadline();
        return eventDeadline != null && eventDeadline.isBefore(operatorDeadline)
                ? eventDeadline
                : operatorDeadline;
    }

    /** What the engine is asked. */
    private record Prompt(Task task, String question) {}
}
