package dev.eveflink.model.generate;

/**
 * The answer to one yes/no question, read at the first answer token.
 *
 * @param pYes probability of "yes" (summed over its single-token spellings), over the whole vocabulary
 * @param pNo probability of "no", likewise
 * @param score {@code P(yes) / (P(yes) + P(no))}: the model's lean towards "yes" once every other answer
 *     is ignored (what moderation thresholds compare against)
 */
public record YesNoScore(double pYes, double pNo, double score) {

    public YesNoScore {
        checkProbability("pYes", pYes);
        checkProbability("pNo", pNo);
        checkProbability("score", score);
        if (pYes + pNo > 1 + 1e-9) {
            throw new IllegalArgumentException("pYes + pNo exceeds 1: " + pYes + " + " + pNo);
        }
    }

    /** From the two probabilities; 0.5 when both are zero (the model gives no lean either way). */
    public static YesNoScore of(double pYes, double pNo) {
        double total = pYes + pNo;
        return new YesNoScore(pYes, pNo, total > 0 ? pYes / total : 0.5);
    }

    private static void checkProbability(String name, double p) {
        if (!(p >= 0 && p <= 1 + 1e-9)) {
            throw new IllegalArgumentException(name + " must be a probability, got " + p);
        }
    }
}
