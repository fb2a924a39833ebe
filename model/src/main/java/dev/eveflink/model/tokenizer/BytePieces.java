package dev.eveflink.model.tokenizer;

/** The byte-fallback piece spelling {@code <0xNN>} (two upper-case hex digits) shared by SentencePiece and HF. */
final class BytePieces {
    private BytePieces() {}

    /** The piece for one byte, e.g. {@code 0x0A -> "<0x0A>"}. */
    static String pieceOf(int unsignedByte) {
        return String.format("<0x%02X>", unsignedByte & 0xFF);
    }

    /** The byte a piece stands for, or -1 when the piece is not a byte piece. */
    static int byteOf(String piece) {
        if (piece == null || piece.length() != 6 || !piece.startsWith("<0x") || piece.charAt(5) != '>') {
            return -1;
        }
        int hi = Character.digit(piece.charAt(3), 16);
        int lo = Character.digit(piece.charAt(4), 16);
        if (hi < 0 || lo < 0) {
            return -1;
        }
        return hi * 16 + lo;
    }
}
