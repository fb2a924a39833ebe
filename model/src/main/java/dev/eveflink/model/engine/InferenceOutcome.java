package dev.eveflink.model.engine;

import dev.eveflink.model.generate.FinishReason;
import dev.eveflink.model.generate.YesNoScore;
import java.util.List;
import java.util.Objects;

/**
 * What an engine answers for one request: plain Java, no tensors.
 *
 * @param id the request's id
 * @param status how it ended
 * @param text generated answer (GENERATE, OK), else null
 * @param finishReason why generation stopped (GENERATE, OK), else null
 * @param pYes probability of "yes" to the first question (SCORE_YES_NO, OK), else NaN
 * @param pNo probability of "no" to the first question (SCORE_YES_NO, OK), else NaN
 * @param scores one per question of the request, in order (SCORE_YES_NO, OK), else empty
 * @param errorCode machine-readable error when not OK (e.g. IMAGE_CORRUPT, PROMPT_TOO_LONG, DEADLINE_EXCEEDED)
 * @param errorMessage human-readable error when not OK
 * @param device the device that ran it, e.g. "cpu()" or "gpu(0)"
 * @param batchSize sequences in the running batch when it was prefilled (scoring: requests in its scoring call)
 * @param promptTokens positions of the prompt (text plus visual tokens)
 * @param generatedTokens new tokens produced
 * @param queueNanos time from submission to admission into the running batch
 * @param prefillNanos time of the prefill forward that admitted it
 * @param decodeNanos time from admission to its last token
 * @param totalNanos time from submission to completion
 * @param prepareNanos the part of {@code queueNanos} spent preparing it on the CPU pool (image decode and
 *     preprocessing, tokenization); the rest of {@code queueNanos} is waiting for the scheduler
 * @param imageTokens the image's visual tokens among {@code promptTokens} (0 without an image)
 */
public record InferenceOutcome(
        String id,
        OutcomeStatus status,
        String text,
        FinishReason finishReason,
        double pYes,
        double pNo,
        List<YesNoScore> scores,
        String errorCode,
        String errorMessage,
        String device,
        int batchSize,
        int promptTokens,
        int generatedTokens,
        long queueNanos,
        long prefillNanos,
        long decodeNanos,
        long totalNanos,
        long prepareNanos,
        int imageTokens) {

    /** An outcome without preparation time and image token count (the engine's own outcomes report both). */
    public InferenceOutcome(String id, OutcomeStatus status, String text, FinishReason finishReason, double pYes,
            double pNo, List<YesNoScore> scores, String errorCode, String errorMessage, String device, int batchSize,
            int promptTokens, int generatedTokens, long queueNanos, long prefillNanos, long decodeNanos,
            long totalNanos) {
        this(id, status, text, finishReason, pYes, pNo, scores, errorCode, errorMessage, device, batchSize,
                promptTokens, generatedTokens, queueNanos, prefillNanos, decodeNanos, totalNanos, 0, 0);
    }

    public InferenceOutcome {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        scores = scores == null ? List.of() : List.copyOf(scores);
    }

    /** A request that ended without the model's answer. */
    public static InferenceOutcome failure(String id, OutcomeStatus status, String code, String message,
            String device, long totalNanos) {
        if (status == OutcomeStatus.OK) {
            throw new IllegalArgumentException("a failure cannot be OK");
        }
        return new InferenceOutcome(id, status, null, null, Double.NaN, Double.NaN, List.of(), code, message, device, 0, 0, 0,
                0, 0, 0, totalNanos);
    }
}
