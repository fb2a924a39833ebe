package dev.eveflink.operators.inference;

import java.io.Serializable;
import org.apache.flink.util.Preconditions;

/**
 * A single yes/no moderation policy scored by the model itself: p(yes) of {@link #question} at the
 * first answer token. A placeholder until moderation policies get their own package; without it,
 * MODERATE requests are answered REJECTED with {@code MODERATION_UNAVAILABLE}.
 *
 * @param policyId the id reported in the result's {@code PolicyVerdict} and matched against an
 *     event's {@code policies} list
 * @param question the yes/no question, e.g. "Does this image show violence?"
 * @param blockThreshold p(yes) at or above which the decision is BLOCK (else ALLOW), in (0, 1]
 */
public record ModerationQuestion(String policyId, String question, double blockThreshold)
        implements Serializable {

    public ModerationQuestion {
        Preconditions.checkArgument(
                policyId != null && !policyId.isBlank(), "moderation policyId must not be blank");
        Preconditions.checkArgument(
                question != null && !question.isBlank(),
                "moderation question of policy '%s' must not be blank",
                policyId);
        Preconditions.checkArgument(
                blockThreshold > 0 && blockThreshold <= 1,
                "moderation blockThreshold of policy '%s' must be in (0, 1], got %s",
                policyId,
                blockThreshold);
    }
}
