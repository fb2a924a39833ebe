package dev.eveflink.operators.inference;

import dev.eveflink.model.engine.InferenceOutcome;
import dev.eveflink.model.engine.OutcomeStatus;
import dev.eveflink.model.generate.YesNoScore;
import dev.eveflink.model.policy.Verdict;
import dev.eveflink.operators.avro.ModerationAction;
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
 * model ran ({@code batchSize > 0}). {@code imageTokens} is the image's visual tokens among
 * {@code promptTokens}. A non-OK result always carries an error; engine codes travel verbatim, and a
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
        return fromOutcomes(event, List.of(outcome), null, beforeSubmitNanos, totalNanos);
    }

    /**
     * The one result of an event's engine outcomes: one outcome for CAPTION/VQA; for MODERATE the
     * outcomes' scores, in order, one per question of {@code moderation} (one outcome with every
     * question's score, or several outcomes whose scores follow each other). If any outcome is not
     * OK, the result takes the first such outcome's status and error (no partial verdicts).
     *
     * <p>Moderation: a question's score is p(yes) / (p(yes) + p(no)) at the first answer token
     * ({@link YesNoScore#score}); a policy's score is the largest of its questions' scores ({@code
     * ModerationPolicy.combine}) and its decision comes from its thresholds ({@code
     * ModerationPolicy.decide}). Each verdict carries the policy's version and action; the result
     * carries the overall decision (the most severe; ALLOW when no policy was checked), the policy
     * set's version, and {@code flagged} = the overall decision is REVIEW or FLAG (such results also
     * go to the flagged topic).
     *
     * <p>Times: queue wait is the longest, prefill and decode the sums, tokens the sums and batch
     * size the largest over the outcomes.
     *
     * @param moderation for MODERATE, the policies whose questions the outcomes answer, in the same
     *     order; null otherwise
     * @param beforeSubmitNanos time from arrival to submission (validation, image fetch)
     * @param totalNanos time from arrival to now
     */
    public InferenceResult fromOutcomes(
            ImageEvent event,
            List<InferenceOutcome> outcomes,
            ModerationPlan moderation,
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
        List<Verdict> verdicts = ok && moderate ? verdicts(event, moderation, outcomes) : List.of();
        PolicyDecision overall = PolicyDecision.valueOf(Verdict.overall(verdicts).name());
        int batchSize = outcomes.stream().mapToInt(InferenceOutcome::batchSize).max().orElse(0);
        boolean modelRan = batchSize > 0;
        return InferenceResult.newBuilder()
                .setId(event.getId())
                .setStatus(ResultStatus.valueOf(status.status().name()))
                .setTask(event.getTask())
                .setText(ok && !moderate ? first.text() : null)
                .setPolicies(verdicts.stream().map(ResultMapper::avro).toList())
                .setFlagged(overall != PolicyDecision.ALLOW)
                .setDecision(overall)
                .setPolicySetVersion(moderate && moderation != null ? moderation.policySetVersion() : null)
                .setModelId(modelRan ? modelId : null)
                .setDevice(status.device())
                .setBatchSize(batchSize)
                .setPromptTokens(outcomes.stream().mapToInt(InferenceOutcome::promptTokens).sum())
                .setImageTokens(outcomes.stream().mapToInt(InferenceOutcome::imageTokens).max().orElse(0))
                .setGeneratedTokens(outcomes.stream().mapToInt(InferenceOutcome::generatedTokens).sum())
                .setQueueWaitMillis(
                        millis(beforeSubmitNanos
                                + outcomes.stream().mapToLong(InferenceOutcome::queueNanos).max().orElse(0)))
                .setPreprocessMillis(
                        millis(outcomes.stream().mapToLong(InferenceOutcome::prepareNanos).max().orElse(0)))
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
                .setDecision(PolicyDecision.ALLOW)
                .setPolicySetVersion(null)
                .setModelId(null)
                .setDevice(null)
                .setBatchSize(0)
                .setPromptTokens(0)
                .setImageTokens(0)
                .setGeneratedTokens(0)
                .setQueueWaitMillis(0)
                .setPreprocessMillis(0)
                .setPrefillMillis(0)
                .setDecodeMillis(0)
                .setError(new ResultError(code, message));
    }

    /** One verdict per policy of {@code moderation}, from the scores of its questions. */
    private static List<Verdict> verdicts(
            ImageEvent event, ModerationPlan moderation, List<InferenceOutcome> outcomes) {
        Preconditions.checkState(moderation != null, "MODERATE event %s has no moderation plan", event.getId());
        List<YesNoScore> scores = new ArrayList<>();
        outcomes.forEach(o -> scores.addAll(o.scores()));
        Preconditions.checkState(
                scores.size() == moderation.questionCount(),
                "MODERATE event %s: %s scores for %s questions",
                event.getId(),
                scores.size(),
                moderation.questionCount());
        return Verdict.of(moderation.policies(), scores.stream().mapToDouble(YesNoScore::score).toArray());
    }

    private static PolicyVerdict avro(Verdict verdict) {
        return PolicyVerdict.newBuilder()
                .setPolicyId(verdict.policy().id())
                .setScore((float) verdict.score())
                .setDecision(PolicyDecision.valueOf(verdict.decision().name()))
                .setPolicyVersion(verdict.policy().version())
                .setAction(ModerationAction.valueOf(verdict.policy().action().name()))
                .build();
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
