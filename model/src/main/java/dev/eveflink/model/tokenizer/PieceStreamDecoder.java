package dev.eveflink.model.tokenizer;

/**
 * Turns piece ids into text one id at a time with sentencepiece's decoding rules: {@code ▁} becomes a space; the
 * leading {@code ▁} of the first piece is dropped when the model adds a dummy prefix (until a piece starting with
 * {@code ▁} has been consumed or text has appeared); control pieces give nothing; the unknown piece gives the unknown
 * surface; byte pieces are assembled into UTF-8 by {@link Utf8ByteRun}.
 */
final class PieceStreamDecoder {
    private static final String SPACE_SYMBOL = "\u2581";

    private final Tokenizer tokenizer;
    private final String unknownSurface;
    private final boolean stripAllLeadingSpaces;
    private final Utf8ByteRun bytes = new Utf8ByteRun();
    private boolean textSeen;
    private boolean expectDummyPrefix;
    private boolean dummyPrefixConsumed;

    /**
     * @param unknownSurface what the unknown piece decodes to (sentencepiece: {@code " \u2047 "})
     * @param stripAllLeadingSpaces sentencepiece with {@code remove_extra_whitespaces}: drop the leading {@code ▁}
     *     of every piece until text appears, not only the first
     */
    PieceStreamDecoder(Tokenizer tokenizer, String unknownSurface, boolean stripAllLeadingSpaces) {
        this.tokenizer = tokenizer;
        this.unknownSurface = unknownSurface;
        this.stripAllLeadingSpaces = stripAllLeadingSpaces;
        this.expectDummyPrefix = tokenizer.stripsDummyPrefixOnDecode();
    }

    /** Feeds one id; returns the text it completes (empty while a multi-byte character is incomplete). */
    String accept(int id) {
        int b = tokenizer.byteValue(id);
        if (b >= 0) {
            return note(bytes.append(b));
        }
        String flushed = note(bytes.flush());
        if (dummyPrefixConsumed || textSeen) {
            expectDummyPrefix = false;
        }
        String piece;
        dummyPrefixConsumed = false;
        if (id == tokenizer.unkId()) {
            piece = unknownSurface;
        } else if (tokenizer.isSpecial(id)) {
            piece = "";
        } else {
            piece = tokenizer.piece(id);
            if (expectDummyPrefix && piece.startsWith(SPACE_SYMBOL)) {
                piece = piece.substring(SPACE_SYMBOL.length());
                dummyPrefixConsumed = !stripAllLeadingSpaces;
            }
            piece = piece.replace(SPACE_SYMBOL, " ");
        }
        return flushed + note(piece);
    }

    /** Ends the input; returns held-back bytes (incomplete characters become U+FFFD). */
    String finish() {
        return note(bytes.flush());
    }

    private String note(String text) {
        if (!text.isEmpty()) {
            textSeen = true;
        }
        return text;
    }
}
