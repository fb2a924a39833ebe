package dev.eveflink.model.tokenizer;

/**
 * Assembles a run of byte-fallback bytes into text the way sentencepiece's decoder does: each well-formed UTF-8
 * character is emitted once complete; a byte that cannot start or continue a valid character becomes U+FFFD on its
 * own (so a truncated 3-byte character gives two U+FFFD). Bytes that may still complete a character are held back.
 */
final class Utf8ByteRun {
    private static final String REPLACEMENT = "\uFFFD";

    private final int[] pending = new int[4];
    private int count;

    /** Adds one byte; returns the text this byte completes (possibly empty). */
    String append(int unsignedByte) {
        pending[count++] = unsignedByte & 0xFF;
        return drain(false);
    }

    /** Ends the run (a non-byte piece follows, or the input ended); returns what was held back. */
    String flush() {
        return drain(true);
    }

    boolean isEmpty() {
        return count == 0;
    }

    private String drain(boolean runEnded) {
        StringBuilder out = new StringBuilder();
        while (count > 0) {
            int need = sequenceLength(pending[0]);
            if (need == 1) {
                out.append((char) pending[0]);
                shift(1);
                continue;
            }
            if (need == 0 || !trailBytesSoFar(Math.min(count, need))) {
                out.append(REPLACEMENT);
                shift(1);
                continue;
            }
            if (count < need) {
                if (!runEnded) {
                    break; // may still become a valid character
                }
                out.append(REPLACEMENT);
                shift(1);
                continue;
            }
            int cp = decode(need);
            if (isValid(cp, need)) {
                out.appendCodePoint(cp);
                shift(need);
            } else {
                out.append(REPLACEMENT);
                shift(1);
            }
        }
        return out.toString();
    }

    /** 1 for ASCII, 2..4 for a lead byte, 0 for a byte that cannot start a character. */
    private static int sequenceLength(int b) {
        if (b < 0x80) {
            return 1;
        }
        if ((b & 0xE0) == 0xC0) {
            return 2;
        }
        if ((b & 0xF0) == 0xE0) {
            return 3;
        }
        if ((b & 0xF8) == 0xF0) {
            return 4;
        }
        return 0;
    }

    private boolean trailBytesSoFar(int upTo) {
        for (int i = 1; i < upTo; i++) {
            if ((pending[i] & 0xC0) != 0x80) {
                return false;
            }
        }
        return true;
    }

    private int decode(int len) {
        int cp = pending[0] & (0xFF >> (len + 1));
        for (int i = 1; i < len; i++) {
            cp = (cp << 6) | (pending[i] & 0x3F);
        }
        return cp;
    }

    /** Rejects overlong forms, surrogates and code points above U+10FFFF, as sentencepiece's DecodeUTF8 does. */
    private static boolean isValid(int cp, int len) {
        int min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
        return cp >= min && (cp < 0xD800 || (cp >= 0xE000 && cp <= 0x10FFFF));
    }

    private void shift(int n) {
        System.arraycopy(pending, n, pending, 0, count - n);
        count -= n;
    }
}
