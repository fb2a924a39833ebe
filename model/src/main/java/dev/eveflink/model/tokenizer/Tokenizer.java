package dev.eveflink.model.tokenizer;

import java.util.OptionalInt;

/**
 * A LLaMA-style subword tokenizer as EVE uses it.
 *
 * <p>{@link #encode} follows SentencePiece semantics: no BOS, no EOS, the dummy-prefix space as the model configures
 * it. The ids the model is fed (BOS first, the image sentinel spliced in) come from
 * {@link ChatTemplate#tokenizeWithImage(Tokenizer, String)}.
 *
 * <p>{@link #decode} drops the special ids (unknown and control pieces: {@code <unk>}, {@code <s>}, {@code </s>}),
 * as EVE's {@code batch_decode(..., skip_special_tokens=True)} does, and assembles byte-fallback pieces into UTF-8.
 */
public interface Tokenizer extends AutoCloseable {

    /** Encodes text into piece ids, without BOS or EOS. */
    int[] encode(String text);

    /** Decodes ids to text, skipping special ids; invalid UTF-8 from byte pieces becomes U+FFFD. */
    String decode(int[] ids);

    /** The piece string of an id (e.g. {@code "▁the"}, {@code "<0x0A>"}, {@code "<s>"}). */
    String piece(int id);

    /** The id of a piece string, if the vocabulary has it (e.g. {@code "▁yes"}, {@code "yes"}, {@code "▁Yes"}). */
    OptionalInt pieceId(String piece);

    int vocabSize();

    int bosId();

    int eosId();

    int unkId();

    /** True for ids that {@link #decode} skips (unknown and control pieces). */
    boolean isSpecial(int id);

    /**
     * True when the decoder drops the leading space of the first piece (the dummy prefix that encoding added), as
     * SentencePiece does with {@code add_dummy_prefix} and HF's LLaMA decoder does with its {@code Strip} step.
     */
    boolean stripsDummyPrefixOnDecode();

    /** The byte value of a byte-fallback piece {@code <0xNN>}, or -1 when {@code id} is not one. */
    default int byteValue(int id) {
        return BytePieces.byteOf(piece(id));
    }

    /** Releases native resources, if any; pure Java tokenizers hold none. */
    @Override
    default void close() {}
}
