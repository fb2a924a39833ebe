package dev.eveflink.model.generate;

/**
 * What one request produced.
 *
 * @param tokens the new token ids, in order (the EOS token included when it ended the sequence)
 * @param text the answer after EVE's post-processing: special tokens skipped, whitespace stripped, a
 *     trailing {@code </s>} removed, cut before a stop string
 * @param finishReason why generation stopped
 * @param promptLength positions the prompt took (text plus visual tokens)
 */
public record Generation(int[] tokens, String text, FinishReason finishReason, int promptLength) {
    public Generation {
        tokens = tokens.clone();
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }
}
