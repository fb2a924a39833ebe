package dev.eveflink.model.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One policy's verdict on one image: its score and the decision its thresholds make of it. The one
 * place the moderation rule lives, shared by the Flink operator, the CLI and the demo evaluator.
 *
 * @param policy the policy judged
 * @param score the largest of its questions' scores ({@link ModerationPolicy#combine}), 0..1; a
 *     question's score is p(yes) / (p(yes) + p(no)) at the first answer token
 *     ({@code YesNoScore.score()})
 * @param decision {@code policy.decide(score)}
 */
public record Verdict(ModerationPolicy policy, double score, Decision decision) {

    public Verdict {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(decision, "decision");
    }

    /**
     * The verdicts of {@code policies} from the scores of their questions, flattened in policy then
     * question order (as {@link #questions} lists them).
     */
    public static List<Verdict> of(List<ModerationPolicy> policies, double[] questionScores) {
        int expected = policies.stream().mapToInt(p -> p.questions().size()).sum();
        if (questionScores.length != expected) {
            throw new IllegalArgumentException(questionScores.length + " scores for " + expected + " questions");
        }
        List<Verdict> verdicts = new ArrayList<>(policies.size());
        int next = 0;
        for (ModerationPolicy policy : policies) {
            double[] own = new double[policy.questions().size()];
            System.arraycopy(questionScores, next, own, 0, own.length);
            next += own.length;
            double score = policy.combine(own);
            verdicts.add(new Verdict(policy, score, policy.decide(score)));
        }
        return verdicts;
    }

    /** Every question of every policy, in policy then question order. */
    public static List<String> questions(List<ModerationPolicy> policies) {
        List<String> questions = new ArrayList<>();
        policies.forEach(p -> questions.addAll(p.questions()));
        return questions;
    }

    /** The most severe decision of {@code verdicts}; ALLOW when there is none. */
    public static Decision overall(List<Verdict> verdicts) {
        Decision overall = Decision.ALLOW;
        for (Verdict v : verdicts) {
            overall = overall.max(v.decision());
        }
        return overall;
    }
}
