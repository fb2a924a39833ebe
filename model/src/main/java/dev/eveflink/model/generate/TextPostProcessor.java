package dev.eveflink.model.generate;

import dev.eveflink.model.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.List;

/** EVE's answer post-processing, and stop-string detection on the decoded text. */
final class TextPostProcessor {
    private static final String EOS_TEXT = "</s>";

    private TextPostProcessor() {}

    /** Decodes with special tokens skipped, strips, drops a trailing {@code </s>}, strips again. */
    static String answer(Tokenizer tokenizer, int[] tokens, int count) {
        String text = tokenizer.decode(Arrays.copyOf(tokens, count)).strip();
        if (text.endsWith(EOS_TEXT)) {
            text = text.substring(0, text.length() - EOS_TEXT.length()).strip();
        }
        return text;
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
