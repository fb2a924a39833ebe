package dev.eveflink.model.generate;

import dev.eveflink.model.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * p(yes) and p(no) of an answer from the logits of its first token: the softmax over the whole
 * vocabulary, summed over the spellings of each word that are a single token ({@code " yes"},
 * {@code "yes"}, {@code " Yes"}, {@code "Yes"}, ...). Where no spelling is one token, the first token
 * of {@code " yes"} / {@code " no"} stands for the word.
 */
public final class YesNoScorer {
    private static final List<String> YES = List.of(" yes", "yes", " Yes", "Yes", " YES", "YES");
    private static final List<String> NO = List.of(" no", "no", " No", "No", " NO", "NO");

    private final int[] yesIds;
    private final int[] noIds;

    public YesNoScorer(Tokenizer tokenizer) {
        this.yesIds = answerIds(tokenizer, YES);
        this.noIds = answerIds(tokenizer, NO);
    }

    /** The probabilities of the two answers. */
    public record YesNo(double pYes, double pNo) {}

    public YesNo score(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double total = 0;
        for (float l : logits) {
            total += Math.exp(l - max);
        }
        return new YesNo(mass(logits, yesIds, max) / total, mass(logits, noIds, max) / total);
    }

    public int[] yesIds() {
        return yesIds.clone();
    }

    public int[] noIds() {
        return noIds.clone();
    }

    private static double mass(float[] logits, int[] ids, double max) {
        double sum = 0;
        for (int id : ids) {
            sum += Math.exp(logits[id] - max);
        }
        return sum;
    }

    /**
     * Single-token spellings. The tokenizer adds SentencePiece's dummy prefix, so "yes" encodes as
     * "▁yes"; a spelling without the leading space is looked up as a bare piece.
     */
    private static int[] answerIds(Tokenizer tokenizer, List<String> spellings) {
        Set<Integer> ids = new LinkedHashSet<>();
        for (String s : spellings) {
            if (s.startsWith(" ")) {
                int[] enc = tokenizer.encode(s.substring(1));
                if (enc.length == 1) {
                    ids.add(enc[0]);
                }
            } else {
                tokenizer.pieceId(s).ifPresent(ids::add);
            }
        }
        if (ids.isEmpty()) {
            int[] enc = tokenizer.encode(spellings.get(0).strip());
            if (enc.length == 0) {
                throw new IllegalStateException("the tokenizer cannot encode '" + spellings.get(0) + "'");
            }
            ids.add(enc[0]);
        }
        List<Integer> list = new ArrayList<>(ids);
        return list.stream().mapToInt(Integer::intValue).toArray();
    }
}
