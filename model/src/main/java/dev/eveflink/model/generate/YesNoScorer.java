package dev.eveflink.model.generate;

import dev.eveflink.model.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * p(yes) and p(no) of an answer from the logits of its first token: the softmax over the whole
 * vocabulary, summed over the spellings of each word that are a single token ({@code " yes"},
 * {@code "yes"}, {@code " Yes"}, {@code "Yes"}, ...). A vocabulary where neither word is one token
 * (only tiny test vocabularies) falls back to the first token at which the encodings of "yes" and
 * "no" differ: an approximation, logged once.
 */
public final class YesNoScorer {
    private static final Logger LOG = LoggerFactory.getLogger(YesNoScorer.class);
    private static final List<String> YES = List.of(" yes", "yes", " Yes", "Yes", " YES", "YES");
    private static final List<String> NO = List.of(" no", "no", " No", "No", " NO", "NO");

    private final int[] yesIds;
    private final int[] noIds;

    public YesNoScorer(Tokenizer tokenizer) {
        int[] yes = singleTokens(tokenizer, YES);
        int[] no = singleTokens(tokenizer, NO);
        if (yes.length == 0 || no.length == 0) {
            int[][] split = firstDifference(tokenizer);
            LOG.warn("'yes'/'no' are not single tokens in this vocabulary; scoring the first token where they "
                    + "differ ({} vs {}), an approximation", split[0][0], split[1][0]);
            yes = yes.length == 0 ? split[0] : yes;
            no = no.length == 0 ? split[1] : no;
        }
        this.yesIds = yes;
        this.noIds = no;
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
    private static int[] singleTokens(Tokenizer tokenizer, List<String> spellings) {
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
        List<Integer> list = new ArrayList<>(ids);
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    /** {{yes token}, {no token}} at the first position where " yes" and " no" encode differently. */
    private static int[][] firstDifference(Tokenizer tokenizer) {
        int[] yes = tokenizer.encode("yes");
        int[] no = tokenizer.encode("no");
        for (int i = 0; i < Math.min(yes.length, no.length); i++) {
            if (yes[i] != no[i]) {
                return new int[][] {{yes[i]}, {no[i]}};
            }
        }
        throw new IllegalStateException("the tokenizer cannot tell 'yes' from 'no'");
    }
}
