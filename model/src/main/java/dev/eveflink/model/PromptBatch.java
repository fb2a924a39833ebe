package dev.eveflink.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.eveflink.model.decoder.KvCache;
import dev.eveflink.model.decoder.LlamaDecoder;
import dev.eveflink.model.decoder.SlotKvCache;
import dev.eveflink.model.vision.VisionTokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch of sequences sharing one KV cache: prefilled together (left padding, so every sequence
 * ends in the same column and the last column holds each one's next-token logits), then advanced
 * one token per sequence per {@link #step}. Each sequence's positions start at 0 at its first real
 * token; pad columns are never attended to.
 *
 * <p>Every temporary of a forward lives in an {@link NDScope} and is freed when the forward returns;
 * only the cache (owned by this batch) survives between steps. No NDArray leaves: logits come back
 * as Java arrays.
 */
public final class PromptBatch implements AutoCloseable {
    /** Added to the score of a key a query must not see (float32 min, as HF LLaMA uses). */
    static final float MASKED = -Float.MAX_VALUE;

    private final NDManager manager;
    private final LlamaDecoder decoder;
    private final KvCache cache;
    private final int[] pads; // per sequence: pad columns on the left
    private final int[] lengths; // per sequence: real prompt positions (visual tokens included)
    private final int[][] grids; // per sequence: pooled image grid {h, w}, or null
    private final int vocab;
    private final ForwardCounts counts;
    private int decodeSteps;
    private float[][] logits; // [B][V] after the latest forward

    private PromptBatch(NDManager manager, LlamaDecoder decoder, KvCache cache, int[] pads, int[] lengths,
            int[][] grids, ForwardCounts counts) {
        this.manager = manager;
        this.counts = counts;
        this.decoder = decoder;
        this.cache = cache;
        this.pads = pads;
        this.lengths = lengths;
        this.grids = grids;
        this.vocab = decoder.config().vocabSize();
    }

    static PromptBatch prefill(NDManager parent, VisionTokenizer vision, LlamaDecoder decoder,
            List<Prompt> prompts, int maxNewTokens, ForwardCounts counts) {
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("empty batch");
        }
        if (maxNewTokens < 0) {
            throw new IllegalArgumentException("maxNewTokens must be >= 0, got " + maxNewTokens);
        }
        int b = prompts.size();
        int[] lengths = new int[b];
        int[][] grids = new int[b][];
        for (int i = 0; i < b; i++) {
            Prompt p = prompts.get(i);
            int visual = 0;
            if (p.image() != null) {
                grids[i] = vision.grid(p.image());
                visual = 1 + grids[i][0] * (grids[i][1] + 1);
            }
            lengths[i] = p.tokenCount() - (p.image() != null ? 1 : 0) + visual;
            int needed = lengths[i] + Math.max(maxNewTokens - 1, 0);
            if (needed > decoder.config().maxPositions()) {
                throw new IllegalArgumentException("sequence " + i + " needs " + needed
                        + " positions (prompt " + lengths[i] + " + new tokens), more than max_position_embeddings "
                        + decoder.config().maxPositions());
            }
        }
        int padded = 0;
        for (int len : lengths) {
            padded = Math.max(padded, len);
        }
        int[] pads = new int[b];
        for (int i = 0; i < b; i++) {
            pads[i] = padded - lengths[i];
        }
        NDManager manager = parent.newSubManager();
        try {
            KvCache cache = decoder.newCache(manager, b, padded + maxNewTokens);
            PromptBatch batch = new PromptBatch(manager, decoder, cache, pads, lengths, grids, counts);
            batch.runPrefill(vision, prompts, padded);
            return batch;
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private void runPrefill(VisionTokenizer vision, List<Prompt> prompts, int padded) {
        int b = prompts.size();
        long d = decoder.config().hiddenSize();
        DataType type = decoder.dataType();
        try (NDScope scope = new NDScope();
                NDManager tmp = manager.newSubManager()) {
            List<NDArray> rows = new ArrayList<>(b);
            for (int i = 0; i < b; i++) {
                rows.add(sequenceEmbeds(tmp, vision, prompts.get(i), pads[i], d, type)); // [T, D]
            }
            NDArray embeds = NDArrays.stack(new NDList(rows), 0); // [B, T, D]
            long[] positions = new long[b * padded];
            float[] mask = new float[b * padded * padded];
            for (int i = 0; i < b; i++) {
                for (int q = 0; q < padded; q++) {
                    positions[i * padded + q] = Math.max(q - pads[i], 0);
                    for (int k = 0; k < padded; k++) {
                        boolean visible = k <= q && k >= pads[i];
                        mask[(i * padded + q) * padded + k] = visible ? 0f : MASKED;
                    }
                }
            }
            NDArray pos = tmp.create(positions, new Shape(b, padded));
            NDArray maskArray = tmp.create(mask, new Shape(b, 1, padded, padded));
            NDArray hidden = decoder.forward(tmp, embeds, pos, maskArray, cache, null); // [B, T, D]
            counts.forwardRan();
            NDArray last = hidden.get(":, -1, :"); // [B, D]
            logits = toRows(decoder.logits(last)); // [B, V]
            scope.suppressNotUsedWarning();
        }
    }

    /** Text embeddings with the image's visual rows spliced at the marker, left-padded with zeros. */
    private NDArray sequenceEmbeds(NDManager tmp, VisionTokenizer vision, Prompt prompt, int pad, long d,
            DataType type) {
        int marker = prompt.imageIndex();
        long[] textIds = new long[prompt.tokenCount() - (marker >= 0 ? 1 : 0)];
        int j = 0;
        for (int i = 0; i < prompt.tokenCount(); i++) {
            if (i != marker) {
                textIds[j++] = prompt.idAt(i);
            }
        }
        NDArray text = decoder.embed(tmp, tmp.create(textIds)); // [T_text, D]
        List<NDArray> parts = new ArrayList<>(4);
        if (pad > 0) {
            parts.add(tmp.zeros(new Shape(pad, d), type));
        }
        if (marker < 0) {
            parts.add(text);
        } else {
            if (marker > 0) {
                parts.add(text.get("0:{}", marker));
            }
            parts.add(vision.encode(tmp, prompt.image())); // [N_vis, D]
            counts.imageEncoded();
            if (marker < textIds.length) {
                parts.add(text.get("{}:", marker));
            }
        }
        return parts.size() == 1 ? parts.get(0) : NDArrays.concat(new NDList(parts), 0);
    }

    /**
     * Feeds one token per sequence (the one chosen from the previous logits) and computes the next
     * logits. Sequences that already finished can be fed anything; their rows are simply ignored.
     */
    public float[][] step(int[] tokens) {
        int b = pads.length;
        if (tokens.length != b) {
            throw new IllegalArgumentException("expected " + b + " tokens, got " + tokens.length);
        }
        int column = cache.length();
        if (column >= cache.capacity()) {
            throw new IllegalStateException("batch cache is full after " + decodeSteps + " decode steps");
        }
        JniUtils.setGradMode(false);
        try (NDScope scope = new NDScope();
                NDManager tmp = manager.newSubManager()) {
            long[] ids = new long[b];
            long[] positions = new long[b];
            float[] mask = new float[b * (column + 1)];
            for (int i = 0; i < b; i++) {
                if (tokens[i] < 0 || tokens[i] >= vocab) {
                    throw new IllegalArgumentException("token " + tokens[i] + " outside the vocabulary");
                }
                ids[i] = tokens[i];
                positions[i] = lengths[i] + decodeSteps;
                for (int k = 0; k <= column; k++) {
                    mask[i * (column + 1) + k] = k >= pads[i] ? 0f : MASKED;
                }
            }
            NDArray embeds = decoder.embed(tmp, tmp.create(ids)).reshape(b, 1, -1); // [B, 1, D]
            NDArray pos = tmp.create(positions, new Shape(b, 1));
            NDArray maskArray = tmp.create(mask, new Shape(b, 1, 1, column + 1));
            NDArray hidden = decoder.forward(tmp, embeds, pos, maskArray, cache, null); // [B, 1, D]
            counts.forwardRan();
            logits = toRows(decoder.logits(hidden.reshape(b, -1))); // [B, V]
            decodeSteps++;
            scope.suppressNotUsedWarning();
        }
        return logits();
    }

    private float[][] toRows(NDArray logitsArray) {
        float[] flat = logitsArray.toType(DataType.FLOAT32, false).toFloatArray();
        int b = pads.length;
        float[][] rows = new float[b][vocab];
        for (int i = 0; i < b; i++) {
            System.arraycopy(flat, i * vocab, rows[i], 0, vocab);
        }
        return rows;
    }

    /** The latest next-token logits, [B][V] (a copy). */
    public float[][] logits() {
        float[][] copy = new float[logits.length][];
        for (int i = 0; i < logits.length; i++) {
            copy[i] = logits[i].clone();
        }
        return copy;
    }

    public int size() {
        return pads.length;
    }

    /** Positions of sequence i's prompt (text tokens plus visual tokens). */
    public int promptLength(int i) {
        return lengths[i];
    }

    /** Pooled image grid {h, w} of sequence i, or null for a text-only prompt. */
    public int[] grid(int i) {
        return grids[i] == null ? null : grids[i].clone();
    }

    /**
     * Copies each prefilled sequence into a slot of a continuous batch's cache (sequence i into
     * {@code slots[i]}), dropping its padding: the slot holds exactly the prompt's positions.
     */
    public void copyInto(SlotKvCache target, int[] slots) {
        if (slots.length != pads.length) {
            throw new IllegalArgumentException("need " + pads.length + " slots, got " + slots.length);
        }
        for (int i = 0; i < slots.length; i++) {
            target.load(slots[i], cache, i, pads[i], lengths[i]);
        }
    }

    /** The batch's cache (columns [0, paddedLength) after the prefill). */
    KvCache cache() {
        return cache;
    }

    /** Pad columns on the left of sequence i. */
    int pad(int i) {
        return pads[i];
    }

    public int decodeSteps() {
        return decodeSteps;
    }

    /** Decode steps the cache still has room for. */
    public int remainingSteps() {
        return cache.capacity() - cache.length();
    }

    @Override
    public void close() {
        manager.close();
    }
}
