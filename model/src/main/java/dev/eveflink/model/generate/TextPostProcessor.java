package dev.eveflink.model.generate;

import dev.eveflink.model.tokenizer.EveOutputText;
import dev.eveflink.model.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.List;

/** EVE's answer post-processing, and stop-string detection on the decoded text. */
final class TextPostProcessor {
    private TextPostProcessor() {}

    /** Decodes with special tokens skipped, strips, drops a trailing {@code </s>}, strips again. */
    static String answer(Tokenizer tokenizer, int[] tokens, int count) {
        return EveOutputText.of(tokenizer.decode(Arrays.copyOf(tokens, count)));
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
