package dev.eveflink.model.demo.train;

import java.util.ArrayList;
import java.util.List;

/**
 * The index arithmetic of a packed batch, in plain Java: each row is {@code [text prefix | visual tokens |
 * segment 1 | segment 2 | ... | padding]}, right-padded to the longest row. The prefix is causal; each
 * segment sees the whole prefix and itself causally, never another segment, and its positions continue from
 * the prefix's end, so each segment is computed exactly as a single-turn prompt would be at inference.
 */
final class PackedBatch {
    private final List<TrainingExample> batch;
    private final int length;

    private PackedBatch(List<TrainingExample> batch, int length) {
        this.batch = batch;
        this.length = length;
    }

    static PackedBatch of(List<TrainingExample> batch) {
        int t = 0;
        for (TrainingExample ex : batch) {
            t = Math.max(t, ex.packedLength());
        }
        return new PackedBatch(batch, t);
    }

    int length() {
        return length;
    }

    /** Every segment's input tokens of row i, concatenated. */
    long[] segmentTokens(int i) {
        List<Long> out = new ArrayList<>();
        for (TrainingExample.Segment s : batch.get(i).segments()) {
            for (int j = 0; j < s.inputLength(); j++) {
                out.add((long) s.inputAt(j));
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /** RoPE positions, [B * T]; padding gets position 0. */
    long[] positions() {
        long[] pos = new long[batch.size() * length];
        for (int i = 0; i < batch.size(); i++) {
            TrainingExample ex = batch.get(i);
            int p = ex.prefixLength();
            for (int q = 0; q < p; q++) {
                pos[i * length + q] = q;
            }
            int col = p;
            for (TrainingExample.Segment s : ex.segments()) {
                for (int j = 0; j < s.inputLength(); j++) {
                    pos[i * length + col++] = p + j;
                }
            }
        }
        return pos;
    }

    /** Additive mask [B, 1, T, T]: 0 where a query may attend, {@code masked} elsewhere. */
    float[] mask(float masked) {
        int t = length;
        float[] mask = new float[batch.size() * t * t];
        java.util.Arrays.fill(mask, masked);
        for (int i = 0; i < batch.size(); i++) {
            TrainingExample ex = batch.get(i);
            int base = i * t * t;
            int p = ex.prefixLength();
            for (int q = 0; q < p; q++) {
                for (int k = 0; k <= q; k++) {
                    mask[base + q * t + k] = 0f;
                }
            }
            int start = p;
            for (TrainingExample.Segment s : ex.segments()) {
                int n = s.inputLength();
                for (int q = start; q < start + n; q++) {
                    for (int k = 0; k < p; k++) {
                        mask[base + q * t + k] = 0f;
                    }
                    for (int k = start; k <= q; k++) {
                        mask[base + q * t + k] = 0f;
                    }
                }
                start += n;
            }
            for (int q = start; q < t; q++) {
                mask[base + q * t + q] = 0f; // padding sees itself only, so its softmax stays finite
            }
        }
        return mask;
    }

    /** Flat row indices (i * T + column) whose hidden state predicts a target token. */
    long[] targetRows() {
        List<Long> rows = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            TrainingExample ex = batch.get(i);
            int start = ex.prefixLength();
            for (TrainingExample.Segment s : ex.segments()) {
                // the last prompt token predicts answer[0]; answer[j] predicts answer[j + 1]
                int first = start + s.promptIds().length - 1;
                for (int j = 0; j < s.answerIds().length; j++) {
                    rows.add((long) i * length + first + j);
                }
                start += s.inputLength();
            }
        }
        return rows.stream().mapToLong(Long::longValue).toArray();
    }

    /** The target token of each {@link #targetRows()} entry. */
    int[] targetIds() {
        List<Integer> ids = new ArrayList<>();
        for (TrainingExample ex : batch) {
            for (TrainingExample.Segment s : ex.segments()) {
                for (int a : s.answerIds()) {
                    ids.add(a);
                }
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }
}
