package dev.eveflink.model.tokenizer;

/**
 * Streams generated text: fed one token id at a time, returns the newly completed text, such that the pieces
 * returned by {@link #accept} and {@link #finish} concatenate to exactly {@code EveOutputText.of(tokenizer.decode(ids))}
 * (EVE's final answer).
 *
 * <p>Never emits half a character: byte-fallback pieces of a multi-byte character are held back until it is
 * complete (invalid sequences become U+FFFD, as sentencepiece decodes them). Leading whitespace, including the
 * dummy-prefix space, is dropped as EVE's final {@code strip()} drops it; trailing whitespace and a trailing partial
 * or complete {@code "</s>"} are held back until later text shows they are not the end of the answer. Special ids
 * (BOS, EOS, UNK) produce no text. Not thread-safe: one instance per generated sequence.
 */
public final class IncrementalDetokenizer {
    private final Tokenizer tokenizer;
    private final PieceStreamDecoder decoder;
    private final StringBuilder raw = new StringBuilder();
    private int emittedEnd; // raw index up to which text has been returned
    private boolean finished;

    public IncrementalDetokenizer(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
        // The unknown surface never shows: unknown ids are skipped like EVE's skip_special_tokens.
        this.decoder = new PieceStreamDecoder(tokenizer, "", false);
    }

    /** Feeds one generated id; returns the text that became final with it (often empty). */
    public String accept(int id) {
        if (finished) {
            throw new IllegalStateException("accept() after finish()");
        }
        if (id < 0 || id >= tokenizer.vocabSize()) {
            throw new TokenizerException("token id " + id + " is outside the vocabulary [0, "
                    + tokenizer.vocabSize() + ")");
        }
        if (!tokenizer.isSpecial(id)) {
            raw.append(decoder.accept(id));
        }
        return emitUpTo(stableEnd());
    }

    /** Ends the sequence; returns everything still held back, post-processed as EVE does. */
    public String finish() {
        if (finished) {
            return "";
        }
        finished = true;
        raw.append(decoder.finish());
        String answer = EveOutputText.of(raw.toString());
        String sent = emittedText();
        if (!answer.startsWith(sent)) {
            throw new IllegalStateException("streamed text '" + sent + "' is not a prefix of '" + answer + "'");
        }
        return answer.substring(sent.length());
    }

    private int leadingSpaceEnd() {
        int i = 0;
        while (i < raw.length() && EveOutputText.isPythonSpace(raw.codePointAt(i))) {
            i += Character.charCount(raw.codePointAt(i));
        }
        return i;
    }

    private String emittedText() {
        int start = leadingSpaceEnd();
        return start >= emittedEnd ? "" : raw.substring(start, emittedEnd);
    }

    private String emitUpTo(int end) {
        int start = Math.max(leadingSpaceEnd(), emittedEnd);
        if (end <= start) {
            return "";
        }
        emittedEnd = end;
        return raw.substring(start, end);
    }

    /**
     * The end of the text that later tokens cannot change: everything before a trailing run that EVE's
     * post-processing could still remove (whitespace, a proper prefix of "</s>", or "</s>" plus whitespace).
     */
    private int stableEnd() {
        int end = raw.length();
        String stop = EveOutputText.STOP_STRING;
        for (int k = stop.length() - 1; k >= 1; k--) {
            if (end >= k && raw.substring(end - k, end).equals(stop.substring(0, k))) {
                return skipSpacesBackwards(end - k);
            }
        }
        int e = skipSpacesBackwards(end);
        if (e >= stop.length() && raw.substring(e - stop.length(), e).equals(stop)) {
            e = skipSpacesBackwards(e - stop.length());
        }
        return e;
    }

    private int skipSpacesBackwards(int end) {
        int e = end;
        while (e > 0 && EveOutputText.isPythonSpace(raw.codePointBefore(e))) {
            e -= Character.charCount(raw.codePointBefore(e));
        }
        return e;
    }
}
