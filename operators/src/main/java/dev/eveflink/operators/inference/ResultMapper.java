package dev.eveflink.operators.inference;

import dev.eveflink.model.engine.InferenceOutcome;
import dev.eveflink.model.engine.OutcomeStatus;
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
import java.time.Duration;
import java.util.ArrayList;
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

    /** A mapper reporting {@code modelId}. */
    public ResultMapper(String modelId) {
        this.modelId = Preconditions.checkNotNull(modelId, "modelId");
    }

    /**
     * The result of a CAPTION or VQA engine outcome.
     *
     * @param beforeSubmitNanos time from arrival to submission (validation, image fetch)
     * @param totalNanos time from arrival to now
     */
    public InferenceResult fromOutcome(
            ImageEvent event, InferenceOutcome outcome, long beforeSubmitNanos, long totalNanos) {
        return fromOutcomes(event, List.of(outcome), List.of(), beforeSubmitNanos, totalNanos);
    }

    /**
     * The one result of an event's engine outcomes: one outcome for CAPTION/VQA; for MODERATE the
     * outcomes' scores, in order, one per policy (one outcome with every policy's score, or one
     * outcome per policy). If any outcome is not OK, the result takes the first such outcome's
     * status and error (no partial verdicts). A verdict's {@code score} is the normalised
     * {@code p(yes) / (p(yes) + p(no))} at the first answer token, so a policy's thresholds compare
     * the model's lean towards "yes" against "no". {@code flagged} is true when any verdict is REVIEW or
     * FLAG. Times: queue wait is the longest, prefill and decode the sums, tokens the sums and
     * batch size the largest over the outcomes.
     *
     * @param policies for MODERATE, the policy each outcome scored, in the same order; else empty
     * @param beforeSubmitNanos time from arrival to submission (validation, image fetch)
     * @param totalNanos time from arrival to now
     */
    public InferenceResult fromOutcomes(
            ImageEvent event,
            List<InferenceOutcome> outcomes,
            List<ModerationQuestion> policies,
            long beforeSubmitNanos,
            long totalNanos) {
        Preconditions.checkArgument(!outcomes.isEmpty(), "no outcome for event %s", event.getId());
        for (InferenceOutcome outcome : outcomes) {
            Preconditions.checkArgument(
                    event.getId().equals(outcome.id()),
                    "outcome %s answers another request than event %s",
                    outcome.id(),
                    event.getId());
        }
        boolean moderate = event.getTask() == Task.MODERATE;
        InferenceOutcome first = outcomes.get(0);
        InferenceOutcome failed =
                outcomes.stream().filter(o -> o.status() != OutcomeStatus.OK).findFirst().orElse(null);
        InferenceOutcome status = failed != null ? failed : first;
        boolean ok = failed == null;
        List<PolicyVerdict> verdicts = new ArrayList<>();
        if (ok && moderate) {
            List<YesNoScore> scores = new ArrayList<>();
            outcomes.forEach(o -> scores.addAll(o.scores()));
            Preconditions.checkState(
                    policies.size() == scores.size(),
                    "MODERATE event %s: %s scores for %s policies",
                    event.getId(),
                    scores.size(),
                    policies.size());
            for (int i = 0; i < scores.size(); i++) {
                ModerationQuestion policy = policies.get(i);
                double score = scores.get(i).score();
                verdicts.add(new PolicyVerdict(policy.policyId(), (float) score, policy.decide(score)));
            }
        }
        int batchSize = outcomes.stream().mapToInt(InferenceOutcome::batchSize).max().orElse(0);
        boolean modelRan = batchSize > 0;
        return InferenceResult.newBuilder()
                .setId(event.getId())
                .setStatus(ResultStatus.valueOf(status.status().name()))
                .setTask(event.getTask())
                .setText(ok && !moderate ? first.text() : null)
                .setPolicies(verdicts)
                .setFlagged(verdicts.stream().anyMatch(v -> v.getDecision() != PolicyDecision.ALLOW))
                .setModelId(modelRan ? modelId : null)
                .setDevice(status.device())
                .setBatchSize(batchSize)
                .setPromptTokens(outcomes.stream().mapToInt(InferenceOutcome::promptTokens).sum())
                .setImageTokens(0)
                .setGeneratedTokens(outcomes.stream().mapToInt(InferenceOutcome::generatedTokens).sum())
                .setQueueWaitMillis(
                        millis(beforeSubmitNanos
                                + outcomes.stream().mapToLong(InferenceOutcome::queueNanos).max().orElse(0)))
                .setPrefillMillis(millis(outcomes.stream().mapToLong(InferenceOutcome::prefillNanos).sum()))
                .setDecodeMillis(millis(outcomes.stream().mapToLong(InferenceOutcome::decodeNanos).sum()))
                .setTotalMillis(
                        millis(Math.max(
                                totalNanos,
                                outcomes.stream().mapToLong(InferenceOutcome::totalNanos).max().orElse(0))))
                .setError(ok ? null : engineError(failed))
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
