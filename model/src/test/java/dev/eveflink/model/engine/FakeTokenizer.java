package dev.eveflink.model.engine;

import dev.eveflink.model.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * A 64-piece word tokenizer: {@code "w<n>"} is id n (3..63), {@code "yes"} is 10, {@code "no"} is 11,
 * any other word is {@link #FILLER}. Decoding joins the words with spaces and skips ids 0..2.
 */
final class FakeTokenizer implements Tokenizer {
    static final int VOCAB = 64;
    static final int UNK = 0;
    static final int BOS = 1;
    static final int EOS = 2;
    static final int FILLER = 3;
    static final int YES = 10;
    static final int NO = 11;

    @Override
    public int[] encode(String text) {
        List<Integer> ids = new ArrayList<>();
        for (String word : text.trim().split("\\s+")) {
            if (!word.isEmpty()) {
                ids.add(idOf(word));
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int idOf(String word) {
        if (word.equals("yes")) {
            return YES;
        }
        if (word.equals("no")) {
            return NO;
        }
        if (word.matches("w\\d+")) {
            int id = Integer.parseInt(word.substring(1));
            if (id >= FILLER && id < VOCAB) {
                return id;
            }
        }
        return FILLER;
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            if (!isSpecial(id)) {
                sb.append(sb.length() == 0 ? "" : " ").append(piece(id));
            }
        }
        return sb.toString();
    }

    @Override
    public String piece(int id) {
        return switch (id) {
            case UNK -> "<unk>";
            case BOS -> "<s>";
            case EOS -> "</s>";
            case YES -> "yes";
            case NO -> "no";
            default -> "w" + id;
        };
    }

    @Override
    public OptionalInt pieceId(String piece) {
        return OptionalInt.empty();
    }

    @Override
    public int vocabSize() {
        return VOCAB;
    }

    @Override
    public int bosId() {
        return BOS;
    }

    @Override
    public int eosId() {
        return EOS;
    }

    @Override
    public int unkId() {
        return UNK;
    }

    @Override
    public boolean isSpecial(int id) {
        return id < FILLER;
    }

    @Override
    public boolean stripsDummyPrefixOnDecode() {
        return true;
    }
}
