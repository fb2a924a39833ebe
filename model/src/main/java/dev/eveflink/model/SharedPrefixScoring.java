package dev.eveflink.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.eveflink.model.decoder.KvStore;
import dev.eveflink.model.decoder.LlamaDecoder;
import dev.eveflink.model.vision.VisionTokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Next-token logits of many prompts that share prefixes, in two forwards: (1) every group's prefix
 * (BOS, system prompt, image) is prefilled once, all groups left-padded into one {@link PromptBatch};
 * (2) every suffix of every group runs in one forward, right-padded to the longest suffix, each row
 * attending over its group's prefix keys/values (gathered per row) and causally over its own tokens,
 * at positions that continue from its prefix. Each row's logits are read at its last real token, so
 * they equal the full prompt's prefill logits. Nothing survives the call: the prefix batch and every
 * temporary are freed before it returns.
 */
final class SharedPrefixScoring {

    private SharedPrefixScoring() {}

    static float[][] score(NDManager parent, VisionTokenizer vision, LlamaDecoder decoder, List<SharedPrompt> groups,
            ForwardCounts counts) {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("no prompt groups to score");
        }
        List<Prompt> prefixes = new ArrayList<>(groups.size());
        int rows = 0;
        int longest = 0;
        for (SharedPrompt group : groups) {
            prefixes.add(group.prefix());
            rows += group.size();
            for (int i = 0; i < group.size(); i++) {
                longest = Math.max(longest, group.suffixes().get(i).length);
            }
        }
        JniUtils.setGradMode(false);
        try (PromptBatch prefixBatch = PromptBatch.prefill(parent, vision, decoder, prefixes, 0, counts)) {
            return suffixForward(parent, decoder, groups, prefixBatch, rows, longest, counts);
        }
    }

    private static float[][] suffixForward(NDManager parent, LlamaDecoder decoder, List<SharedPrompt> groups,
            PromptBatch prefixBatch, int rows, int longest, ForwardCounts counts) {
        int vocab = decoder.config().vocabSize();
        int maxPositions = decoder.config().maxPositions();
        int padded = prefixBatch.cache().length(); // P: prefix columns, left-padded
        int span = padded + longest; // keys a suffix row attends over: prefix columns, then its own
        long[] ids = new long[rows * longest];
        long[] positions = new long[rows * longest];
        long[] groupOf = new long[rows];
        long[] lastColumn = new long[rows]; // flat index of each row's last real token in [R * Ls]
        float[] mask = new float[rows * longest * span];
        int r = 0;
        for (int g = 0; g < groups.size(); g++) {
            SharedPrompt group = groups.get(g);
            int pad = prefixBatch.pad(g);
            int prefixLength = prefixBatch.promptLength(g);
            for (int s = 0; s < group.size(); s++, r++) {
                int[] suffix = group.suffixes().get(s);
                int length = suffix.length;
                if (prefixLength + length > maxPositions) {
                    throw new IllegalArgumentException("group " + g + " prompt " + s + " takes "
                            + (prefixLength + length) + " positions, more than max_position_embeddings " + maxPositions);
                }
                groupOf[r] = g;
                lastColumn[r] = (long) r * longest + length - 1;
                for (int q = 0; q < longest; q++) {
                    int flat = r * longest + q;
                    boolean real = q < length;
                    if (real && (suffix[q] < 0 || suffix[q] >= vocab)) {
                        throw new IllegalArgumentException("group " + g + " prompt " + s + ": token " + suffix[q]
                                + " outside the vocabulary");
                    }
                    ids[flat] = real ? suffix[q] : 0; // pad columns: any valid id, never attended by a real row
                    positions[flat] = prefixLength + Math.min(q, length - 1); // pads stay inside the rotary table
                    int base = flat * span;
                    for (int k = 0; k < padded; k++) {
                        mask[base + k] = k >= pad ? 0f : PromptBatch.MASKED;
                    }
                    for (int j = 0; j < longest; j++) {
                        mask[base + padded + j] = j <= q ? 0f : PromptBatch.MASKED;
                    }
                }
            }
        }
        try (NDScope scope = new NDScope();
                NDManager tmp = parent.newSubManager()) {
            NDArray embeds = decoder.embed(tmp, tmp.create(ids)).reshape(rows, longest, -1); // [R, Ls, D]
            NDArray pos = tmp.create(positions, new Shape(rows, longest)); // [R, Ls]
            NDArray maskArray = tmp.create(mask, new Shape(rows, 1, longest, span)); // [R, 1, Ls, P + Ls]
            KvStore store = prefixBatch.cache().continuations(tmp.create(groupOf)); // groups int64 [R]
            NDArray hidden = decoder.forward(tmp, embeds, pos, maskArray, store, null); // [R, Ls, D]
            counts.forwardRan();
            NDArray last = hidden.reshape((long) rows * longest, -1) // [R * Ls, D]
                    .get(new NDIndex("{}", tmp.create(lastColumn))); // [R, D]
            float[] flat = decoder.logits(last).toType(DataType.FLOAT32, false).toFloatArray(); // [R * V]
            float[][] logits = new float[rows][vocab];
            for (int i = 0; i < rows; i++) {
                System.arraycopy(flat, i * vocab, logits[i], 0, vocab);
            }
            scope.suppressNotUsedWarning();
            return logits;
        }
    }
}
