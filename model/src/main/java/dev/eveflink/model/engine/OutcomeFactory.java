package dev.eveflink.model.engine;

import dev.eveflink.model.generate.StopRules;
import dev.eveflink.model.generate.YesNoScorer;

/** Builds {@link InferenceOutcome}s with their timings on the scheduler's clock. */
final class OutcomeFactory {
    private final String device;

    OutcomeFactory(String device) {
        this.device = device;
    }

    InferenceOutcome generated(Sequence seq, StopRules.Stop stop, long now) {
        return ok(seq, stop.text(), stop.reason(), Double.NaN, Double.NaN, seq.count(), now);
    }

    InferenceOutcome scored(Sequence seq, YesNoScorer.YesNo score, long now) {
        return ok(seq, null, null, score.pYes(), score.pNo(), 0, now);
    }

    private InferenceOutcome ok(Sequence seq, String text, dev.eveflink.model.generate.FinishReason reason,
            double pYes, double pNo, int generated, long now) {
        PreparedRequest r = seq.request();
        return new InferenceOutcome(r.id(), OutcomeStatus.OK, text, reason, pYes, pNo, null, null, device,
                seq.batchSize, seq.queued.promptLength(), generated, seq.admittedNanos - r.submitNanos(),
                seq.prefillNanos, now - seq.admittedNanos, now - r.submitNanos());
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
