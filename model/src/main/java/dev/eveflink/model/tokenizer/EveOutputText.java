package dev.eveflink.model.tokenizer;

/**
 * EVE's post-processing of decoded generated text: {@code strip()}, drop a trailing {@code "</s>"}, {@code strip()}
 * again, with Python's notion of whitespace (which, unlike {@link String#strip()}, includes U+00A0, U+2007, U+202F
 * and U+0085).
 */
public final class EveOutputText {
    /** The stop string EVE removes from the end of the answer. */
    public static final String STOP_STRING = "</s>";

    private EveOutputText() {}

    /** Post-processes text that {@link Tokenizer#decode} produced from the generated ids. */
    public static String of(String decoded) {
        String s = strip(decoded);
        if (s.endsWith(STOP_STRING)) {
            s = strip(s.substring(0, s.length() - STOP_STRING.length()));
        }
        return s;
    }

    /** Python's {@code str.strip()} with no arguments. */
    public static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isPythonSpace(s.codePointAt(start))) {
            start += Character.charCount(s.codePointAt(start));
        }
        while (end > start && isPythonSpace(s.codePointBefore(end))) {
            end -= Character.charCount(s.codePointBefore(end));
        }
        return s.substring(start, end);
    }

    /** Python's {@code str.isspace()} for one code point. */
    public static boolean isPythonSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x85;
    }
}
