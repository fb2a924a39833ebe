package dev.eveflink.model.demo.train;

import dev.eveflink.model.demo.world.Background;
import dev.eveflink.model.demo.world.ShapeColor;
import dev.eveflink.model.demo.world.ShapeKind;
import dev.eveflink.model.tokenizer.ChatTemplate;
import dev.eveflink.model.tokenizer.SentencePieceModel.Piece;
import dev.eveflink.model.tokenizer.SentencePieceModel.PieceType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The demo model's SentencePiece vocabulary: {@code <unk>}, {@code <s>}, {@code </s>} (ids 0..2), the 256
 * byte-fallback pieces, then every prefix of every word the shapes world and the chat template use, both
 * with the word-start mark ({@code ▁red}) and bare (for words right after the image's newline), and the
 * single printable ASCII characters.
 *
 * <p>Why prefixes: SentencePiece BPE merges the best adjacent pair whose concatenation is a piece. With every
 * prefix of {@code ▁word} a piece, the symbol holding the word start can always absorb its right neighbour
 * inside the word, so every known word ends as exactly one piece, whatever the merge order.
 */
public final class DemoVocabulary {
    /** The caption request of the demo model (lower case, like the world's questions). */
    public static final String CAPTION_QUESTION = "describe the image.";

    private static final String SPACE = "\u2581";

    private DemoVocabulary() {}

    /** The words: world vocabulary, question words, the caption request and both system prompts. */
    public static Set<String> words() {
        Set<String> words = new LinkedHashSet<>();
        for (ShapeColor c : ShapeColor.values()) {
            words.add(c.word());
        }
        for (ShapeKind k : ShapeKind.values()) {
            words.add(k.word());
        }
        for (Background b : Background.values()) {
            words.add(b.word());
        }
        words.addAll(List.of("a", "an", "and", "on", "background", "what", "color", "is", "the", "how", "many",
                "shapes", "are", "there", "shape", "left", "right", "yes", "no", "one", "two", "three", "anything",
                "describe", "image", "USER", "ASSISTANT"));
        for (ChatTemplate t : ChatTemplate.values()) {
            for (String w : t.systemPrompt().split("[^A-Za-z]+")) {
                if (!w.isEmpty()) {
                    words.add(w);
                }
            }
        }
        return words;
    }

    /** The pieces in id order. */
    public static List<Piece> pieces() {
        Set<String> normal = new LinkedHashSet<>();
        normal.add(SPACE);
        for (String w : words()) {
            addPrefixes(normal, SPACE + w);
        }
        for (String w : words()) {
            addPrefixes(normal, w);
            addPrefixes(normal, w.toLowerCase(Locale.ROOT));
        }
        for (char c = 33; c < 127; c++) {
            normal.add(String.valueOf(c));
        }
        List<Piece> pieces = new ArrayList<>();
        pieces.add(new Piece("<unk>", 0f, PieceType.UNKNOWN));
        pieces.add(new Piece("<s>", 0f, PieceType.CONTROL));
        pieces.add(new Piece("</s>", 0f, PieceType.CONTROL));
        for (int b = 0; b < 256; b++) {
            pieces.add(new Piece(String.format("<0x%02X>", b), 0f, PieceType.BYTE));
        }
        int rank = 0;
        for (String p : normal) {
            pieces.add(new Piece(p, -(rank++), PieceType.NORMAL)); // earlier pieces merge first, as in LLaMA
        }
        return pieces;
    }

    private static void addPrefixes(Set<String> out, String word) {
        for (int end = 1; end <= word.length(); end++) {
            out.add(word.substring(0, end));
        }
    }
}
