package dev.eveflink.model.tokenizer;

import dev.eveflink.model.tokenizer.SentencePieceModel.ModelType;
import dev.eveflink.model.tokenizer.SentencePieceModel.Piece;
import dev.eveflink.model.tokenizer.SentencePieceModel.PieceType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A pure Java SentencePiece BPE tokenizer over a {@code tokenizer.model}, reproducing python sentencepiece's
 * {@code encode}/{@code decode} for BPE models with identity normalization (LLaMA, Vicuna, EVE).
 *
 * <p>Encoding: spaces become {@code ▁}, the dummy prefix {@code ▁} is prepended, the text is split into code points
 * (user-defined pieces kept whole), the highest-scoring adjacent pair whose concatenation is a piece is merged until
 * none is left, and symbols outside the vocabulary fall back to their UTF-8 bytes ({@code <0xNN>}) or to
 * {@code <unk>} when the model has no byte fallback.
 *
 * <p>Only BPE is supported: a UNIGRAM model (Viterbi over a piece lattice) could be added later behind the same
 * {@link Tokenizer} interface. Normalization tables ({@code precompiled_charsmap}, e.g. {@code nmt_nfkc}) are not
 * supported and rejected.
 */
public final class SentencePieceBpeTokenizer implements Tokenizer {
    private static final char SPACE_SYMBOL = '\u2581';

    private final SentencePieceModel model;
    /** NORMAL, USER_DEFINED and UNUSED pieces: the ones merges may produce. */
    private final Map<String, Integer> mergeablePieces = new HashMap<>();
    /** CONTROL, UNKNOWN and BYTE pieces: looked up first, never produced by merges. */
    private final Map<String, Integer> reservedPieces = new HashMap<>();
    private final List<String> userDefinedLongestFirst = new ArrayList<>();
    private final BpeMerger.MergeScorer scorer;
    private final int unkId;
    private final int bosId;
    private final int eosId;

    /** Loads {@code tokenizer.model}. */
    public static SentencePieceBpeTokenizer load(Path tokenizerModel) {
        return new SentencePieceBpeTokenizer(SentencePieceModel.read(tokenizerModel));
    }

    public SentencePieceBpeTokenizer(SentencePieceModel model) {
        this(model, null);
    }

    /**
     * @param pairScorer merge scores by pair; {@code null} for sentencepiece's rule (the score of the merged piece).
     *     Package-private seam so that tests can run this encoder on an HF merges table.
     */
    SentencePieceBpeTokenizer(SentencePieceModel model, BpeMerger.MergeScorer pairScorer) {
        this.model = model;
        requireSupported(model);
        int unk = -1;
        List<Piece> pieces = model.pieces();
        for (int id = 0; id < pieces.size(); id++) {
            Piece p = pieces.get(id);
            boolean mergeable = p.type() == PieceType.NORMAL || p.type() == PieceType.USER_DEFINED
                    || p.type() == PieceType.UNUSED;
            Map<String, Integer> target = mergeable ? mergeablePieces : reservedPieces;
            if (target.putIfAbsent(p.text(), id) != null) {
                throw new TokenizerException("tokenizer.model: piece '" + p.text() + "' is defined twice");
            }
            if (p.type() == PieceType.USER_DEFINED) {
                userDefinedLongestFirst.add(p.text());
            }
            if (p.type() == PieceType.UNKNOWN) {
                unk = id;
            }
        }
        if (unk < 0) {
            throw new TokenizerException("tokenizer.model: no piece of type UNKNOWN");
        }
        userDefinedLongestFirst.sort(Comparator.comparingInt(String::length).reversed());
        this.unkId = unk;
        this.bosId = controlIdOrMinusOne(model.trainer().bosId());
        this.eosId = controlIdOrMinusOne(model.trainer().eosId());
        this.scorer = pairScorer != null ? pairScorer : this::pieceScore;
    }

    private static void requireSupported(SentencePieceModel model) {
        if (model.trainer().modelType() != ModelType.BPE) {
            throw new TokenizerException("tokenizer.model: model type " + model.trainer().modelType()
                    + " is not supported; only BPE is implemented (UNIGRAM could be supported later)");
        }
        if (model.normalizer().precompiledCharsmapBytes() > 0) {
            throw new TokenizerException("tokenizer.model: normalizer '" + model.normalizer().name()
                    + "' uses a precompiled charsmap, which is not supported (only identity normalization)");
        }
        if (model.trainer().treatWhitespaceAsSuffix()) {
            throw new TokenizerException("tokenizer.model: treat_whitespace_as_suffix is not supported");
        }
    }

    private int controlIdOrMinusOne(int id) {
        return id >= 0 && id < model.pieces().size() && model.pieces().get(id).type() == PieceType.CONTROL ? id : -1;
    }

    private float pieceScore(String left, String right, String merged) {
        Integer id = mergeablePieces.get(merged);
        return id == null ? Float.NaN : model.pieces().get(id).score();
    }

    public SentencePieceModel model() {
        return model;
    }

    @Override
    public int[] encode(String text) {
        String normalized = normalize(text);
        if (normalized.isEmpty()) {
            return new int[0];
        }
        List<String> symbols = new ArrayList<>();
        List<Boolean> frozen = new ArrayList<>();
        splitIntoSymbols(normalized, symbols, frozen);
        boolean[] frozenArray = new boolean[frozen.size()];
        for (int i = 0; i < frozenArray.length; i++) {
            frozenArray[i] = frozen.get(i);
        }
        BpeMerger.Result merged = BpeMerger.merge(symbols, frozenArray, scorer, this::isUnused);
        IdSink out = new IdSink();
        for (String symbol : merged.symbols()) {
            emit(symbol, merged.splits(), out);
        }
        return out.toArray();
    }

    /** Sentencepiece's identity normalizer: optional whitespace cleanup, dummy prefix, spaces escaped as ▁. */
    private String normalize(String text) {
        String t = text;
        if (model.normalizer().removeExtraWhitespaces()) {
            t = collapseSpaces(t);
        }
        if (t.isEmpty()) {
            return "";
        }
        char space = model.normalizer().escapeWhitespaces() ? SPACE_SYMBOL : ' ';
        StringBuilder sb = new StringBuilder(t.length() + 1);
        if (model.normalizer().addDummyPrefix()) {
            sb.append(space);
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == ' ') {
                sb.append(space);
            } else if (Character.isSurrogate(c) && !isPairedSurrogate(t, i)) {
                sb.append('\uFFFD'); // sentencepiece maps malformed input to U+FFFD
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean isPairedSurrogate(String t, int i) {
        char c = t.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < t.length() && Character.isLowSurrogate(t.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(t.charAt(i - 1));
    }

    /** Drops leading and trailing spaces and collapses inner runs (remove_extra_whitespaces). */
    private static String collapseSpaces(String t) {
        StringBuilder sb = new StringBuilder(t.length());
        boolean pendingSpace = false;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == ' ') {
                pendingSpace = sb.length() > 0;
            } else {
                if (pendingSpace) {
                    sb.append(' ');
                    pendingSpace = false;
                }
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private void splitIntoSymbols(String normalized, List<String> symbols, List<Boolean> frozen) {
        int i = 0;
        while (i < normalized.length()) {
            String user = userDefinedAt(normalized, i);
            if (user != null) {
                symbols.add(user);
                frozen.add(true);
                i += user.length();
            } else {
                int len = Character.charCount(normalized.codePointAt(i));
                symbols.add(normalized.substring(i, i + len));
                frozen.add(false);
                i += len;
            }
        }
    }

    private String userDefinedAt(String s, int offset) {
        for (String piece : userDefinedLongestFirst) {
            if (s.startsWith(piece, offset)) {
                return piece;
            }
        }
        return null;
    }

    private boolean isUnused(String piece) {
        Integer id = mergeablePieces.get(piece);
        return id != null && model.pieces().get(id).type() == PieceType.UNUSED;
    }

    private void emit(String symbol, Map<String, String[]> splits, IdSink out) {
        int id = lookup(symbol);
        if (id != unkId && model.pieces().get(id).type() == PieceType.UNUSED && splits.containsKey(symbol)) {
            String[] parts = splits.get(symbol);
            emit(parts[0], splits, out);
            emit(parts[1], splits, out);
            return;
        }
        if (id != unkId) {
            out.add(id, false);
        } else if (model.trainer().byteFallback()) {
            for (byte b : symbol.getBytes(StandardCharsets.UTF_8)) {
                Integer byteId = reservedPieces.get(BytePieces.pieceOf(b));
                out.add(byteId == null ? unkId : byteId, false);
            }
        } else {
            out.add(unkId, true); // a run of unknown symbols becomes one <unk>, as sentencepiece does
        }
    }

    private int lookup(String piece) {
        Integer id = reservedPieces.get(piece);
        if (id == null) {
            id = mergeablePieces.get(piece);
        }
        return id == null ? unkId : id;
    }

    @Override
    public String decode(int[] ids) {
        PieceStreamDecoder decoder = newDecoder();
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            checkId(id);
            if (!isSpecial(id)) {
                sb.append(decoder.accept(id));
            }
        }
        return sb.append(decoder.finish()).toString();
    }

    /**
     * Python sentencepiece's {@code decode(ids)} with nothing skipped: control pieces give no text, {@code <unk>}
     * gives the unknown surface ({@code " \u2047 "} by default).
     */
    public String decodeKeepingSpecials(int[] ids) {
        PieceStreamDecoder decoder = newDecoder();
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            checkId(id);
            sb.append(decoder.accept(id));
        }
        return sb.append(decoder.finish()).toString();
    }

    private PieceStreamDecoder newDecoder() {
        return new PieceStreamDecoder(this, model.trainer().unkSurface(),
                model.normalizer().removeExtraWhitespaces());
    }

    private void checkId(int id) {
        if (id < 0 || id >= model.pieces().size()) {
            throw new TokenizerException("token id " + id + " is outside the vocabulary [0, "
                    + model.pieces().size() + ")");
        }
    }

    @Override
    public String piece(int id) {
        checkId(id);
        return model.pieces().get(id).text();
    }

    @Override
    public OptionalInt pieceId(String piece) {
        Integer id = reservedPieces.get(piece);
        if (id == null) {
            id = mergeablePieces.get(piece);
        }
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    @Override
    public int vocabSize() {
        return model.pieces().size();
    }

    @Override
    public int bosId() {
        return bosId;
    }

    @Override
    public int eosId() {
        return eosId;
    }

    @Override
    public int unkId() {
        return unkId;
    }

    @Override
    public boolean isSpecial(int id) {
        checkId(id);
        PieceType t = model.pieces().get(id).type();
        return t == PieceType.CONTROL || t == PieceType.UNKNOWN;
    }

    @Override
    public boolean stripsDummyPrefixOnDecode() {
        return model.normalizer().addDummyPrefix() || model.normalizer().removeExtraWhitespaces();
    }

    @Override
    public int byteValue(int id) {
        checkId(id);
        Piece p = model.pieces().get(id);
        return p.type() == PieceType.BYTE ? BytePieces.byteOf(p.text()) : -1;
    }

    /** Collects ids, folding consecutive unknown symbols into one. */
    private static final class IdSink {
        private int[] ids = new int[16];
        private int size;
        private boolean lastWasFoldableUnk;

        void add(int id, boolean foldableUnk) {
            if (foldableUnk && lastWasFoldableUnk) {
                return;
            }
            lastWasFoldableUnk = foldableUnk;
            if (size == ids.length) {
                ids = java.util.Arrays.copyOf(ids, size * 2);
            }
            ids[size++] = id;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(ids, size);
        }
    }
}
