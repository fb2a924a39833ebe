package dev.eveflink.model.engine;

import dev.eveflink.model.generate.StopRules;
import dev.eveflink.model.generate.YesNoScore;
import java.util.List;

/** Builds {@link InferenceOutcome}s with their timings on the scheduler's clock. */
final class OutcomeFactory {
    private final String device;

    OutcomeFactory(String device) {
        this.device = device;
    }

    InferenceOutcome generated(Sequence seq, StopRules.Stop stop, long now) {
        PreparedRequest r = seq.request();
        return new InferenceOutcome(r.id(), OutcomeStatus.OK, stop.text(), stop.reason(), Double.NaN, Double.NaN,
                List.of(), null, null, device, seq.batchSize, seq.queued.promptLength(), seq.count(),
                seq.admittedNanos - r.submitNanos(), seq.prefillNanos, now - seq.admittedNanos, now - r.submitNanos(),
                seq.queued.enqueuedNanos() - r.submitNanos(), seq.queued.imageTokens());
    }

    /**
     * A scored request: one score per question, in order.
     *
     * @param startNanos when its scoring call began
     * @param batchSize requests in that scoring call
     */
    InferenceOutcome scored(QueuedRequest q, List<YesNoScore> scores, long startNanos, long now, int batchSize) {
        PreparedRequest r = q.request();
        YesNoScore first = scores.get(0);
        return new InferenceOutcome(r.id(), OutcomeStatus.OK, null, null, first.pYes(), first.pNo(), scores, null,
                null, device, batchSize, q.promptLength(), 0, startNanos - r.submitNanos(), now - startNanos, 0,
                now - r.submitNanos(), q.enqueuedNanos() - r.submitNanos(), q.imageTokens());
    }

    InferenceOutcome rejected(PreparedRequest r, String code, String message, long now) {
        return InferenceOutcome.failure(r.id(), OutcomeStatus.REJECTED, code, message(r, message), device,
                now - r.submitNanos());
    }

    InferenceOutcome timeout(PreparedRequest r, long now, String message) {
        return InferenceOutcome.failure(r.id(), OutcomeStatus.TIMEOUT, ErrorCodes.DEADLINE_EXCEEDED,
                message(r, message), device, now - r.submitNanos());
    }

    InferenceOutcome failed(PreparedRequest r, long now, Throwable cause, int batchSize) {
        return InferenceOutcome.failure(r.id(), OutcomeStatus.FAILED, ErrorCodes.MODEL_ERROR,
                message(r, "model failed in a batch of " + batchSize + ": " + cause), device, now - r.submitNanos());
    }

    private String message(PreparedRequest r, String message) {
        return "request " + r.id() + " on " + device + ": " + message;
    }
}
