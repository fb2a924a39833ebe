package dev.eveflink.model.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Predicate;

/**
 * The merge loop of SentencePiece's BPE model: repeatedly merge the adjacent pair with the highest score (ties: the
 * leftmost pair), re-scoring only the two new neighbour pairs after each merge.
 */
final class BpeMerger {

    /** Scores a candidate merge of two adjacent symbols; {@link Float#NaN} when they may not merge. */
    @FunctionalInterface
    interface MergeScorer {
        float score(String left, String right, String merged);
    }

    /** The merged symbols, plus how each recorded piece was formed (for re-splitting UNUSED pieces). */
    record Result(List<String> symbols, Map<String, String[]> splits) {}

    private BpeMerger() {}

    /**
     * @param symbols the initial symbols (one code point each, or a whole user-defined piece)
     * @param frozen {@code frozen[i]} forbids merging symbol {@code i} with anything (user-defined pieces)
     * @param scorer which pairs may merge, and how good each merge is
     * @param recordSplit merged pieces whose (left, right) split must be remembered
     */
    static Result merge(List<String> symbols, boolean[] frozen, MergeScorer scorer, Predicate<String> recordSplit) {
        int n = symbols.size();
        String[] text = symbols.toArray(new String[0]);
        int[] prev = new int[n];
        int[] next = new int[n];
        for (int i = 0; i < n; i++) {
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        // Highest score first; among equal scores the leftmost pair (sentencepiece's SymbolPairComparator).
        PriorityQueue<Candidate> agenda = new PriorityQueue<>((a, b) -> {
            int byScore = Float.compare(b.score, a.score);
            return byScore != 0 ? byScore : Integer.compare(a.left, b.left);
        });
        Map<String, String[]> splits = new HashMap<>();
        Pairing pairing = new Pairing(text, frozen, scorer, recordSplit, agenda, splits);
        for (int i = 1; i < n; i++) {
            pairing.offer(i - 1, i);
        }
        while (!agenda.isEmpty()) {
            Candidate top = agenda.poll();
            String l = text[top.left];
            String r = text[top.right];
            // Stale entry: one side was merged away or changed since the pair was queued.
            if (l.isEmpty() || r.isEmpty() || l.length() + r.length() != top.length || next[top.left] != top.right) {
                continue;
            }
            text[top.left] = l + r;
            text[top.right] = "";
            next[top.left] = next[top.right];
            if (next[top.right] >= 0) {
                prev[next[top.right]] = top.left;
            }
            pairing.offer(prev[top.left], top.left);
            pairing.offer(top.left, next[top.left]);
        }
        List<String> out = new ArrayList<>();
        for (int i = n == 0 ? -1 : 0; i >= 0; i = next[i]) {
            out.add(text[i]);
        }
        return new Result(out, splits);
    }

    private record Candidate(int left, int right, float score, int length) {}

    private record Pairing(String[] text, boolean[] frozen, MergeScorer scorer, Predicate<String> recordSplit,
            PriorityQueue<Candidate> agenda, Map<String, String[]> splits) {
        void offer(int left, int right) {
            if (left < 0 || right < 0 || frozen[left] || frozen[right]) {
                return;
            }
            String merged = text[left] + text[right];
            float score = scorer.score(text[left], text[right], merged);
            if (Float.isNaN(score)) {
                return;
            }
            agenda.add(new Candidate(left, right, score, merged.length()));
            if (recordSplit.test(merged)) {
                splits.put(merged, new String[] {text[left], text[right]});
            }
        }
    }
}
