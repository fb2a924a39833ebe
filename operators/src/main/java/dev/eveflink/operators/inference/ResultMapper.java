package dev.eveflink.operators.inference;

import dev.eveflink.model.engine.InferenceOutcome;
import dev.eveflink.model.engine.OutcomeStatus;
import dev.eveflink.operators.avro.ImageEvent;
import dev.eveflink.operators.avro.InferenceResult;
import dev.eveflink.operators.avro.PolicyDecision;
import dev.eveflink.operators.avro.PolicyVerdict;
import dev.eveflink.operators.avro.ResultError;
import dev.eveflink.operators.avro.ResultStatus;
import dev.eveflink.operators.avro.Task;
import dev.eveflink.operators.errors.ErrorCode;
import dev.eveflink.operators.errors.EventError;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.util.Preconditions;

/**
 * Builds the Avro {@link InferenceResult} of a request: from the engine's {@link InferenceOutcome},
 * from a record-level error found before submission, or for the operator's timeout.
 *
 * <p>Every schema field is set. Times are operator times: {@code queueWaitMillis} counts from the
 * event's arrival at the operator (validation and image fetching included) to the start of
 * prefill, {@code totalMillis} from arrival to the result. {@code modelId} is set only when the
 * model ran ({@code batchSize > 0}). {@code imageTokens} stays 0: the engine does not report it
 * separately yet. A non-OK result always carries an error; engine codes travel verbatim, and a
 * missing one is replaced by an {@link ErrorCode} that names the status.
 */
public final class ResultMapper {

    /** Reported as {@code modelId} when the model ran. */
    private final String modelId;
    /** The moderation policy MODERATE requests were scored with, or null. */
    private final ModerationQuestion moderation;

    /** A mapper reporting {@code modelId} and deciding MODERATE scores with {@code moderation}. */
    public ResultMapper(String modelId, ModerationQuestion moderation) {
        this.modelId = Preconditions.checkNotNull(modelId, "modelId");
        this.moderation = moderation;
    }

    /**
     * The result of an engine outcome.
     *
     * @param beforeSubmitNanos time from arrival to submission (validation, image fetch)
     * @param totalNanos time from arrival to now
     */
    public InferenceResult fromOutcome(
            ImageEvent event, InferenceOutcome outcome, long beforeSubmitNanos, long totalNanos) {
        Preconditions.checkArgument(
                event.getId().equals(outcome.id()),
                "outcome %s answers another request than event %s",
                outcome.id(),
                event.getId());
        boolean ok = outcome.status() == OutcomeStatus.OK;
        boolean moderate = event.getTask() == Task.MODERATE;
        List<PolicyVerdict> policies = ok && moderate ? verdicts(outcome) : List.of();
        boolean modelRan = outcome.batchSize() > 0;
        return InferenceResult.newBuilder()
                .setId(event.getId())
                .setStatus(ResultStatus.valueOf(outcome.status().name()))
                .setTask(event.getTask())
                .setText(ok && !moderate ? outcome.text() : null)
                .setPolicies(policies)
                .setFlagged(policies.stream().anyMatch(v -> v.getDecision() != PolicyDecision.ALLOW))
                .setModelId(modelRan ? modelId : null)
                .setDevice(outcome.device())
                .setBatchSize(outcome.batchSize())
                .setPromptTokens(outcome.promptTokens())
                .setImageTokens(0)
                .setGeneratedTokens(outcome.generatedTokens())
                .setQueueWaitMillis(millis(beforeSubmitNanos + outcome.queueNanos()))
                .setPrefillMillis(millis(outcome.prefillNanos()))
                .setDecodeMillis(millis(outcome.decodeNanos()))
                .setTotalMillis(millis(Math.max(totalNanos, outcome.totalNanos())))
                .setError(ok ? null : engineError(outcome))
                .build();
    }

    /** A REJECTED result for a problem found before the engine saw the request. */
    public InferenceResult rejected(ImageEvent event, EventError error, long totalNanos) {
        return withoutModel(event, ResultStatus.REJECTED, error.code().name(), error.message())
                .setTotalMillis(millis(totalNanos))
                .build();
    }

    /** A TIMEOUT result for a request the engine did not answer within the operator timeout. */
    public InferenceResult timedOut(ImageEvent event, Duration timeout, long totalNanos) {
        String message =
                "event " + event.getId() + " got no answer within the operator timeout " + timeout;
        return withoutModel(event, ResultStatus.TIMEOUT, ErrorCode.OPERATOR_TIMEOUT.name(), message)
                .setTotalMillis(millis(totalNanos))
                .build();
    }

    private static InferenceResult.Builder withoutModel(
            ImageEvent event, ResultStatus status, String code, String message) {
        return InferenceResult.newBuilder()
                .setId(event.getId())
                .setStatus(status)
                .setTask(event.getTask())
                .setText(null)
                .setPolicies(List.of())
                .setFlagged(false)
                .setModelId(null)
                .setDevice(null)
                .setBatchSize(0)
                .setPromptTokens(0)
                .setImageTokens(0)
                .setGeneratedTokens(0)
                .setQueueWaitMillis(0)
                .setPrefillMillis(0)
                .setDecodeMillis(0)
                .setError(new ResultError(code, message));
    }

    private List<PolicyVerdict> verdicts(InferenceOutcome outcome) {
        Preconditions.checkState(
                moderation != null, "a MODERATE outcome without a moderation question");
        PolicyDecision decision = moderation.decide(outcome.pYes());
        return List.of(new PolicyVerdict(moderation.policyId(), (float) outcome.pYes(), decision));
    }

    private static ResultError engineError(InferenceOutcome outcome) {
        String code = outcome.errorCode();
        if (code == null || code.isBlank()) {
            code = defaultCode(outcome.status()).name();
        }
        String message = outcome.errorMessage();
        if (message == null || message.isBlank()) {
            message =
                    "engine answered " + outcome.status() + " for " + outcome.id() + " on "
                            + outcome.device();
        }
        return new ResultError(code, message);
    }

    private static ErrorCode defaultCode(OutcomeStatus status) {
        switch (status) {
            case TIMEOUT:
                return ErrorCode.DEADLINE_EXCEEDED;
            case REJECTED:
                return ErrorCode.ENGINE_REJECTED;
            default:
                return ErrorCode.INFERENCE_FAILED;
        }
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(Math.max(0, nanos));
    }
}
