package dev.eveflink.model.engine;

import dev.eveflink.model.Prompt;
import dev.eveflink.model.SharedPrompt;
import java.util.List;

/**
 * The model side of continuous batching: a fixed number of slots, each holding one sequence's KV
 * cache. Running sequences always occupy slots {@code 0 .. active-1} (the scheduler compacts with
 * {@link #move} when one leaves), so a decode step runs over a prefix of the slots. Logits come back
 * as Java arrays; the scheduler samples. Called from one thread only (the engine's worker).
 */
public interface SlotModel extends AutoCloseable {

    /** Slots, the largest running batch. */
    int slots();

    /** Positions one sequence may use (prompt plus generated tokens). */
    int maxPositions();

    /** Positions a prompt takes (text tokens plus the image's visual tokens). */
    int promptLength(Prompt prompt);

    /**
     * Prefills prompts into the given free slots (one forward for all of them) and returns each
     * prompt's next-token logits, in order. The slots' caches then hold exactly the prompts.
     */
    float[][] prefill(int[] slots, List<Prompt> prompts);

    /**
     * Scores groups of prompts that share a prefix (an image's system prompt and visual tokens)
     * without using any slot: each group's prefix is prefilled once, then every suffix continues it.
     * Returns one next-token logits row per suffix, group by group, in order; each equals the full
     * prompt's prefill logits. The slots are untouched.
     */
    float[][] scoreShared(List<SharedPrompt> groups);

    /**
     * Feeds one token to each of the slots {@code 0 .. tokens.length-1} and returns each slot's
     * next-token logits.
     */
    float[][] decode(int[] tokens);

    /** Moves the sequence in slot {@code from} to the free slot {@code to} (compaction). */
    void move(int from, int to);

    /** Forgets the sequence in a slot. */
    void release(int slot);

    /** The device this model runs on, for results and metrics (e.g. "cpu()"). */
    String device();

    @Override
    void close();
}
