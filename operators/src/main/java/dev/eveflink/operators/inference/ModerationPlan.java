package dev.eveflink.operators.inference;

import dev.eveflink.model.policy.ModerationPolicy;
import dev.eveflink.model.policy.Verdict;
import java.util.List;
import org.apache.flink.util.Preconditions;

/**
 * The policies one MODERATE event is checked against and the order their questions are asked in:
 * every question of the first policy, then every question of the second, and so on. {@link
 * ResultMapper} folds the questions' scores back into one verdict per policy with it.
 *
 * @param policySetVersion the version of the set the policies were taken from (reported with the
 *     result)
 * @param policies the chosen policies, at least one, in the order their verdicts are reported
 */
public record ModerationPlan(String policySetVersion, List<ModerationPolicy> policies) {

    public ModerationPlan {
        Preconditions.checkArgument(
                policySetVersion != null && !policySetVersion.isBlank(),
                "policySetVersion must not be blank");
        policies = List.copyOf(policies);
        Preconditions.checkArgument(!policies.isEmpty(), "a moderation plan needs a policy");
    }

    /** Every question of every policy, flattened in policy then question order. */
    public List<String> questions() {
        return Verdict.questions(policies);
    }

    /** How many questions {@link #questions()} holds. */
    public int questionCount() {
        return policies.stream().mapToInt(p -> p.questions().size()).sum();
    }
}
