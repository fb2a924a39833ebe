package dev.eveflink.model.policy;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One moderation policy: yes/no questions EVE answers about an image, combined by max, and the
 * thresholds that turn the score into a decision.
 *
 * @param id the policy's id, reported with every verdict and named by events that pick policies
 * @param version the policy's version as written in the file (reported with every verdict, so a
 *     decision can be traced to the exact wording and thresholds that made it)
 * @param questions one or more yes/no questions; the policy's score is the largest of their scores
 * @param reviewThreshold scores in [review, flag) are sent to human review; in (0, flagThreshold]
 * @param flagThreshold scores at or above it are flagged; in (0, 1]
 * @param action what consumers should do with a flagged image
 * @param tenants the tenants the policy applies to; empty means every tenant
 */
public record ModerationPolicy(
        String id,
        String version,
        List<String> questions,
        double reviewThreshold,
        double flagThreshold,
        PolicyAction action,
        Set<String> tenants) implements Serializable {

    private static final long serialVersionUID = 1L;

    public ModerationPolicy {
        require(id != null && !id.isBlank(), "policy id must not be blank");
        require(version != null && !version.isBlank(), "version of policy '" + id + "' must not be blank");
        Objects.requireNonNull(questions, "questions");
        questions = List.copyOf(questions);
        require(!questions.isEmpty(), "policy '" + id + "' needs at least one question");
        for (String q : questions) {
            require(!q.isBlank(), "policy '" + id + "' has a blank question");
        }
        require(flagThreshold > 0 && flagThreshold <= 1,
                "flag threshold of policy '" + id + "' must be in (0, 1], got " + flagThreshold);
        require(reviewThreshold > 0 && reviewThreshold <= flagThreshold, "review threshold of policy '" + id
                + "' must be in (0, flag = " + flagThreshold + "], got " + reviewThreshold);
        Objects.requireNonNull(action, "action");
        tenants = Set.copyOf(Objects.requireNonNull(tenants, "tenants"));
        for (String t : tenants) {
            require(!t.isBlank(), "policy '" + id + "' names a blank tenant");
        }
    }

    /** A policy with one question, version "1", action BLOCK, for every tenant. */
    public static ModerationPolicy of(String id, String question, double reviewThreshold, double flagThreshold) {
        return new ModerationPolicy(id, "1", List.of(question), reviewThreshold, flagThreshold, PolicyAction.BLOCK,
                Set.of());
    }

    /** ALLOW below the review threshold, FLAG from the flag threshold, REVIEW between. */
    public Decision decide(double score) {
        if (score >= flagThreshold) {
            return Decision.FLAG;
        }
        return score >= reviewThreshold ? Decision.REVIEW : Decision.ALLOW;
    }

    /**
     * The policy's score from its questions' scores (in {@link #questions} order): the largest, so
     * a policy with several phrasings fires when any of them does.
     */
    public double combine(double[] questionScores) {
        require(questionScores.length == questions.size(), "policy '" + id + "' has " + questions.size()
                + " questions, got " + questionScores.length + " scores");
        double max = Double.NEGATIVE_INFINITY;
        for (double s : questionScores) {
            max = Math.max(max, s);
        }
        return max;
    }

    /** Whether events of {@code tenant} (null: an event without a tenant) are checked against it. */
    public boolean appliesTo(String tenant) {
        return tenants.isEmpty() || (tenant != null && tenants.contains(tenant));
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
