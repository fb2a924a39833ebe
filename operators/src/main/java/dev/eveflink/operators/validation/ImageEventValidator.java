package dev.eveflink.operators.validation;

import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.avro.Task;
import dev.eveflink.operators.errors.ErrorCode;
import dev.eveflink.operators.errors.EventError;

import org.apache.flink.util.Preconditions;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;

/**
 * Checks the request fields of an {@link ImageEvent} (the image itself is {@link ImageResolver}'s
 * job) and returns the first problem as a typed error.
 *
 * <p>Checks, in order: id not blank; task known; VQA has a non-blank question; question length;
 * priority 0..9; maxNewTokens in 1..limit; policies, when present, non-empty without blank ids.
 */
public final class ImageEventValidator implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Lowest accepted priority. */
    public static final int MIN_PRIORITY = 0;

    /** Highest accepted priority. */
    public static final int MAX_PRIORITY = 9;

    /** The limits. */
    private final ValidationOptions options;

    /** A validator enforcing {@code options}. */
    public ImageEventValidator(ValidationOptions options) {
        this.options = Preconditions.checkNotNull(options, "options");
    }

    /** Empty when {@code event} is acceptable, else the first problem. */
    public Optional<EventError> validate(ImageEvent event) {
        String id = event.getId();
        if (id == null || id.isBlank()) {
            return fail(ErrorCode.MISSING_ID, "event has a blank id");
        }
        Task task = event.getTask();
        if (task == null || task == Task.UNKNOWN) {
            return fail(ErrorCode.UNKNOWN_TASK, "event " + id + " has unknown task " + task);
        }
        String question = event.getQuestion();
        if (task == Task.VQA && (question == null || question.isBlank())) {
            return fail(ErrorCode.MISSING_QUESTION, "event " + id + " is VQA but has no question");
        }
        if (question != null && question.length() > options.maxQuestionChars()) {
            return fail(
                    ErrorCode.QUESTION_TOO_LONG,
                    "event "
                            + id
                            + " question has "
                            + question.length()
                            + " chars, limit is "
                            + options.maxQuestionChars());
        }
        int priority = event.getPriority();
        if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
            return fail(
                    ErrorCode.PRIORITY_OUT_OF_RANGE,
                    "event "
                            + id
                            + " priority "
                            + priority
                            + " is outside "
                            + MIN_PRIORITY
                            + ".."
                            + MAX_PRIORITY);
        }
        Integer maxNewTokens = event.getMaxNewTokens();
        if (maxNewTokens != null
                && (maxNewTokens < 1 || maxNewTokens > options.maxNewTokensLimit())) {
            return fail(
                    ErrorCode.MAX_NEW_TOKENS_OUT_OF_RANGE,
                    "event "
                            + id
                            + " maxNewTokens "
                            + maxNewTokens
                            + " is outside 1.."
                            + options.maxNewTokensLimit());
        }
        List<String> policies = event.getPolicies();
        if (policies != null
                && (policies.isEmpty()
                        || policies.stream().anyMatch(p -> p == null || p.isBlank()))) {
            return fail(
                    ErrorCode.INVALID_POLICIES,
                    "event "
                            + id
                            + " policies "
                            + policies
                            + " must be absent (all policies) or a list of non-blank ids");
        }
        return Optional.empty();
    }

    private static Optional<EventError> fail(ErrorCode code, String message) {
        return Optional.of(EventError.of(code, message));
    }
}
