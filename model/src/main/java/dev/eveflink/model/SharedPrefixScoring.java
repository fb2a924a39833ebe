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
import java.util.Arrays;
import java.util.List;

/**
 * Next-token logits of many prompts that share prefixes, in two forwards: (1) every group's prefix
 * (BOS, system prompt, image) is prefilled once, all groups left-padded into one {@link PromptBatch};
 * (2) every suffix of every group runs in one forward. Row g of that forward holds group g's suffixes
 * packed side by side (rows right-padded to the longest pack) and attends over the prefix's
 * keys/values followed by its own new ones; the mask lets each suffix token see the prefix and the
 * earlier tokens of its own suffix only, and positions restart from the prefix length for each
 * suffix. So suffix i of a group computes exactly what its full prompt would, without copying the
 * prefix's keys/values once per question. Each suffix's logits are read at its last token. Nothing
 * survives the call: the prefix batch and every temporary are freed before it returns.
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
        for (SharedPrompt group : groups) {
            prefixes.add(group.prefix());
            rows += group.size();
        }
        JniUtils.setGradMode(false);
        try (PromptBatch prefixBatch = PromptBatch.prefill(parent, vision, decoder, prefixes, 0, counts)) {
            return suffixForward(parent, decoder, groups, prefixBatch, rows, counts);
        }
    }

    private static float[][] suffixForward(NDManager parent, LlamaDecoder decoder, List<SharedPrompt> groups,
            PromptBatch prefixBatch, int rows, ForwardCounts counts) {
        int vocab = decoder.config().vocabSize();
        int maxPositions = decoder.config().maxPositions();
        int b = groups.size();
        int padded = prefixBatch.cache().length(); // P: prefix columns, left-padded
        int packed = 0; // T: the longest group's suffix tokens, packed
        for (SharedPrompt group : groups) {
            packed = Math.max(packed, group.suffixTokens());
        }
        int span = padded + packed; // keys a row attends over: its prefix columns, then its packed suffixes
        long[] ids = new long[b * packed];
        long[] positions = new long[b * packed];
        long[] lastColumn = new long[rows]; // per suffix: flat index of its last token in [B * T]
        float[] mask = new float[b * packed * span];
        Arrays.fill(mask, PromptBatch.MASKED);
        int r = 0;
        for (int g = 0; g < b; g++) {
            SharedPrompt group = groups.get(g);
            int pad = prefixBatch.pad(g);
            int prefixLength = prefixBatch.promptLength(g);
            int offset = 0; // where the current suffix starts in the row
            for (int s = 0; s < group.size(); s++, r++) {
                int[] suffix = group.suffixes().get(s);
                if (prefixLength + suffix.length > maxPositions) {
                    throw new IllegalArgumentException("group " + g + " prompt " + s + " takes "
                            + (prefixLength + suffix.length) + " positions, more than max_position_embeddings "
                            + maxPositions);
                }
                for (int q = 0; q < suffix.length; q++) {
                    if (suffix[q] < 0 || suffix[q] >= vocab) {
                        throw new IllegalArgumentException("group " + g + " prompt " + s + ": token " + suffix[q]
                                + " outside the vocabulary");
                    }
                    int flat = g * packed + offset + q;
                    ids[flat] = suffix[q];
                    positions[flat] = prefixLength + q;
                    // Sees the prefix's real columns and its own suffix up to itself.
                    showColumns(mask, flat * span, pad, padded);
                    showColumns(mask, flat * span + padded + offset, 0, q + 1);
                }
                offset += suffix.length;
                lastColumn[r] = (long) g * packed + offset - 1;
            }
            for (int q = offset; q < packed; q++) { // pad columns: read nothing, but never a fully masked row
                int flat = g * packed + q;
                positions[flat] = prefixLength;
                showColumns(mask, flat * span, pad, padded);
            }
        }
        try (NDScope scope = new NDScope();
                NDManager tmp = parent.newSubManager()) {
            NDArray embeds = decoder.embed(tmp, tmp.create(ids)).reshape(b, packed, -1); // [B, T, D]
            NDArray pos = tmp.create(positions, new Shape(b, packed)); // [B, T]
            NDArray maskArray = tmp.create(mask, new Shape(b, 1, packed, span)); // [B, 1, T, P + T]
            KvStore store = prefixBatch.cache().continuations();
            NDArray hidden = decoder.forward(tmp, embeds, pos, maskArray, store, null); // [B, T, D]
            counts.forwardRan();
            NDArray last = hidden.reshape((long) b * packed, -1) // [B * T, D]
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

    /** Unmasks columns [first, end) of the mask row that starts at {@code rowStart}. */
    private static void showColumns(float[] mask, int rowStart, int first, int end) {
        Arrays.fill(mask, rowStart + first, rowStart + end, 0f);
    }
}
