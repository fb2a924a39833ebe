package dev.eveflink.model.generate;

import dev.eveflink.model.tokenizer.EveOutputText;
import dev.eveflink.model.tokenizer.Tokenizer;
import java.util.List;

/**
 * When a generated sequence stops and what its answer text is, the same for the static
 * {@link Generator} and the engine's continuous batch: EOS, then a stop string (the text is cut before
 * it), then the new-token limit; the text is EVE's post-processing of the decoded tokens.
 */
public final class StopRules {
    private StopRules() {}

    /** A finished sequence: why it stopped and its answer. */
    public record Stop(FinishReason reason, String text) {}

    /**
     * Checks a sequence after its newest token.
     *
     * @param tokens the new tokens so far, newest last (at least one)
     * @param limit the sequence's new-token limit (context left included)
     * @return the stop, or null while the sequence goes on
     */
    public static Stop check(Tokenizer tokenizer, int[] tokens, int limit, List<String> stopStrings) {
        if (tokens[tokens.length - 1] == tokenizer.eosId()) {
            return new Stop(FinishReason.EOS, answer(tokenizer, tokens));
        }
        if (!stopStrings.isEmpty()) {
            String text = tokenizer.decode(tokens);
            int stop = firstStop(text, stopStrings);
            if (stop >= 0) {
                return new Stop(FinishReason.STOP_STRING, EveOutputText.strip(text.substring(0, stop)));
            }
        }
        return tokens.length >= limit ? new Stop(FinishReason.LENGTH, answer(tokenizer, tokens)) : null;
    }

    /** Decodes with special tokens skipped, strips, drops a trailing {@code </s>}, strips again. */
    public static String answer(Tokenizer tokenizer, int[] tokens) {
        return EveOutputText.of(tokenizer.decode(tokens));
    }

    /** Index of the earliest stop string in {@code text}, or -1. */
    static int firstStop(String text, List<String> stops) {
        int first = -1;
        for (String stop : stops) {
            int at = text.indexOf(stop);
            if (at >= 0 && (first < 0 || at < first)) {
                first = at;
            }
        }
        return first;
    }
}
