package dev.eveflink.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.eveflink.model.decoder.KvStore;
import dev.eveflink.model.decoder.LlamaDecoder;
import dev.eveflink.model.decoder.SlotKvCache;
import dev.eveflink.model.vision.VisionTokenizer;
import java.util.List;

/**
 * A continuous batch on one model: a fixed set of slots with their own KV cache, where sequences
 * join (a batched prefill whose rows are copied into free slots), advance one token per decode step
 * at their own positions, move (compaction) and leave, independently of each other. The engine's
 * scheduler decides who runs; this class only computes. Logits come back as Java arrays.
 */
public final class SlotBatch implements AutoCloseable {
    private final NDManager manager;
    private final NDManager parent;
    private final VisionTokenizer vision;
    private final LlamaDecoder decoder;
    private final SlotKvCache cache;
    private final int vocab;
    private final ForwardCounts counts;

    SlotBatch(NDManager parent, VisionTokenizer vision, LlamaDecoder decoder, int slots, int capacity,
            ForwardCounts counts) {
        this.parent = parent;
        this.counts = counts;
        this.manager = parent.newSubManager();
        this.vision = vision;
        this.decoder = decoder;
        this.vocab = decoder.config().vocabSize();
        this.cache = decoder.newSlotCache(manager, slots, capacity);
    }

    public int slots() {
        return cache.slots();
    }

    /** Positions one slot holds at most. */
    public int capacity() {
        return cache.capacity();
    }

    public int length(int slot) {
        return cache.length(slot);
    }

    /** Prefills the prompts together and places prompt i in {@code slots[i]}; returns their logits. */
    public float[][] prefill(int[] slots, List<Prompt> prompts) {
        for (int slot : slots) {
            if (cache.length(slot) != 0) {
                throw new IllegalStateException("slot " + slot + " is not free");
            }
        }
        try (PromptBatch batch = PromptBatch.prefill(parent, vision, decoder, prompts, 0, counts)) {
            batch.copyInto(cache, slots);
            return batch.logits();
        }
    }

    /** One decode step of slots 0..n-1 (n = tokens.length), each at its own position. */
    public float[][] decode(int[] tokens) {
        int n = tokens.length;
        JniUtils.setGradMode(false);
        try (NDScope scope = new NDScope();
                NDManager tmp = manager.newSubManager()) {
            long[] ids = new long[n];
            long[] positions = new long[n];
            int span = 0;
            for (int i = 0; i < n; i++) {
                if (tokens[i] < 0 || tokens[i] >= vocab) {
                    throw new IllegalArgumentException("token " + tokens[i] + " outside the vocabulary");
                }
                if (cache.length(i) == 0) {
                    throw new IllegalStateException("slot " + i + " holds no sequence");
                }
                ids[i] = tokens[i];
                positions[i] = cache.length(i);
                span = Math.max(span, cache.length(i) + 1);
            }
            float[] mask = new float[n * span];
            for (int i = 0; i < n; i++) {
                for (int k = cache.length(i) + 1; k < span; k++) {
                    mask[i * span + k] = PromptBatch.MASKED; // columns beyond this slot's own length
                }
            }
            KvStore step = cache.decodeStep(tmp, n);
            NDArray embeds = decoder.embed(tmp, tmp.create(ids)).reshape(n, 1, -1); // [n, 1, D]
            NDArray pos = tmp.create(positions, new Shape(n, 1));
            NDArray maskArray = tmp.create(mask, new Shape(n, 1, 1, span));
            NDArray hidden = decoder.forward(tmp, embeds, pos, maskArray, step, null); // [n, 1, D]
            counts.forwardRan();
            float[] flat = decoder.logits(hidden.reshape(n, -1)).toType(DataType.FLOAT32, false).toFloatArray();
            float[][] rows = new float[n][vocab];
            for (int i = 0; i < n; i++) {
                System.arraycopy(flat, i * vocab, rows[i], 0, vocab);
            }
            scope.suppressNotUsedWarning();
            return rows;
        }
    }

    /**
     * Scores groups of prompts that share a prefix, without touching the slots: every group's prefix
     * is prefilled once (all prefixes in one forward), then every suffix of every group in a second
     * forward. Returns one next-token logits row per suffix, group by group, in order.
     */
    public float[][] scoreShared(List<SharedPrompt> groups) {
        return SharedPrefixScoring.score(parent, vision, decoder, groups, counts);
    }

    public void move(int from, int to) {
        cache.move(from, to);
    }

    public void release(int slot) {
        cache.release(slot);
    }

    @Override
    public void close() {
        manager.close();
    }
}
