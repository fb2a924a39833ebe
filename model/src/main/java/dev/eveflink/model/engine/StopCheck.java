package dev.eveflink.model.engine;

import dev.eveflink.model.generate.FinishReason;
import dev.eveflink.model.tokenizer.EveOutputText;
import dev.eveflink.model.tokenizer.Tokenizer;
import java.util.List;

/**
 * Decides when a sequence stops (EOS, a stop string, its new-token limit, which already includes the
 * context left) and produces its answer text, the same way {@link dev.eveflink.model.generate.Generator} does.
 */
final class StopCheck {
    private final Tokenizer tokenizer;

    StopCheck(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** The finished answer, or null while the sequence goes on. */
    Answer check(Sequence seq) {
        if (seq.lastToken() == tokenizer.eosId()) {
            return new Answer(text(seq), FinishReason.EOS);
        }
        List<String> stops = seq.request().params().stopStrings();
        if (!stops.isEmpty()) {
            String text = tokenizer.decode(seq.tokens());
            int stop = firstStop(text, stops);
            if (stop >= 0) {
                return new Answer(EveOutputText.strip(text.substring(0, stop)), FinishReason.STOP_STRING);
            }
        }
        if (seq.count() >= seq.queued.newTokenLimit()) {
            return new Answer(text(seq), FinishReason.LENGTH);
        }
        return null;
    }

    private String text(Sequence seq) {
        return EveOutputText.of(tokenizer.decode(seq.tokens()));
    }

    private static int firstStop(String text, List<String> stops) {
        int first = -1;
        for (String stop : stops) {
            int at = text.indexOf(stop);
            if (at >= 0 && (first < 0 || at < first)) {
                first = at;
            }
        }
        return first;
    }

    /** A finished sequence's text and why it stopped. */
    record Answer(String text, FinishReason reason) {}
}
