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
 * vocabulary, summed over the spellings of each word that are a single piece of the vocabulary
 * ({@code "▁yes"}, {@code "yes"}, {@code "▁Yes"}, {@code "Yes"}, {@code "▁YES"}, {@code "YES"}, and what
 * the tokenizer makes of " yes" when that is one token), and their normalised ratio
 * {@link YesNoScore#score()}. A vocabulary where neither word is one token
 * (only tiny test vocabularies) falls back to the first token at which the encodings of "yes" and
 * "no" differ: an approximation, logged once.
 */
public final class YesNoScorer {
    private static final Logger LOG = LoggerFactory.getLogger(YesNoScorer.class);
    /** SentencePiece's word-boundary marker: "▁yes" is " yes" inside a sentence. */
    private static final String WORD_START = "\u2581";
    private static final List<String> YES = List.of("yes", "Yes", "YES");
    private static final List<String> NO = List.of("no", "No", "NO");

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

    /** The probabilities of the two answers and their normalised ratio. */
    public YesNoScore score(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double total = 0;
        for (float l : logits) {
            total += Math.exp(l - max);
        }
        double pYes = Math.min(mass(logits, yesIds, max) / total, 1);
        double pNo = Math.min(mass(logits, noIds, max) / total, 1);
        // The ratio from the yes/no logits alone: it stays exact where both probabilities underflow.
        double answerMax = Math.max(maxOf(logits, yesIds), maxOf(logits, noIds));
        double yes = mass(logits, yesIds, answerMax);
        double no = mass(logits, noIds, answerMax);
        return new YesNoScore(pYes, pNo, yes / (yes + no));
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

    private static double maxOf(float[] logits, int[] ids) {
        double max = Double.NEGATIVE_INFINITY;
        for (int id : ids) {
            max = Math.max(max, logits[id]);
        }
        return max;
    }

    /**
     * Single-token spellings: each word as a bare piece and as a word-start piece ("▁yes"), plus its
     * encoding when that is one piece spelling it (the tokenizer adds SentencePiece's dummy prefix, so
     * "yes" usually encodes as "▁yes"; a tokenizer without piece lookup is covered this way).
     */
    private static int[] singleTokens(Tokenizer tokenizer, List<String> spellings) {
        Set<Integer> ids = new LinkedHashSet<>();
        for (String s : spellings) {
            tokenizer.pieceId(WORD_START + s).ifPresent(ids::add);
            tokenizer.pieceId(s).ifPresent(ids::add);
            int[] enc = tokenizer.encode(s);
            // Only when the token really spells the word (a word tokenizer may map it to a filler id).
            if (enc.length == 1 && (tokenizer.piece(enc[0]).equals(s) || tokenizer.piece(enc[0]).equals(WORD_START + s))) {
                ids.add(enc[0]);
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
