package dev.eveflink.operators.inference;

import dev.eveflink.operators.avro.PolicyDecision;
import java.io.Serializable;
import org.apache.flink.util.Preconditions;

/**
 * One yes/no moderation policy scored by the model itself: p(yes) of {@link #question} at the
 * first answer token. {@link InferenceOptions#moderationPolicies()} lists the configured ones; a
 * MODERATE event is scored against each policy it names (all when it names none).
 *
 * @param policyId the id reported in the result's {@code PolicyVerdict} and matched against an
 *     event's {@code policies} list
 * @param question the yes/no question, e.g. "Does this image show violence?"
 * @param reviewThreshold p(yes) at or above which the decision is at least REVIEW (a human looks
 *     at it), in (0, flagThreshold]
 * @param flagThreshold p(yes) at or above which the decision is FLAG, in (0, 1]
 */
public record ModerationQuestion(
        String policyId, String question, double reviewThreshold, double flagThreshold)
        implements Serializable {

    public ModerationQuestion {
        Preconditions.checkArgument(
                policyId != null && !policyId.isBlank(), "moderation policyId must not be blank");
        Preconditions.checkArgument(
                question != null && !question.isBlank(),
                "moderation question of policy '%s' must not be blank",
                policyId);
        Preconditions.checkArgument(
                flagThreshold > 0 && flagThreshold <= 1,
                "moderation flagThreshold of policy '%s' must be in (0, 1], got %s",
                policyId,
                flagThreshold);
        Preconditions.checkArgument(
                reviewThreshold > 0 && reviewThreshold <= flagThreshold,
                "moderation reviewThreshold of policy '%s' must be in (0, flagThreshold=%s], got %s",
                policyId,
                flagThreshold,
                reviewThreshold);
    }

    /** ALLOW below {@link #reviewThreshold}, FLAG from {@link #flagThreshold}, REVIEW between. */
    public PolicyDecision decide(double pYes) {
        if (pYes >= flagThreshold) {
            return PolicyDecision.FLAG;
        }
        return pYes >= reviewThreshold ? PolicyDecision.REVIEW : PolicyDecision.ALLOW;
    }
}
