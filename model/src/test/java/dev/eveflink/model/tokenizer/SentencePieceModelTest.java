package dev.eveflink.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The ModelProto reader and the model checks, on hand-written protobuf bytes. */
class SentencePieceModelTest {

    /** A tiny protobuf writer for building test models. */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto varint(int field, long value) {
            tag(field, 0);
            writeVarint(value);
            return this;
        }

        Proto string(int field, String s) {
            return bytes(field, s.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, Proto m) {
            return bytes(field, m.out.toByteArray());
        }

        Proto fixed32(int field, float f) {
            tag(field, 5);
            int bits = Float.floatToIntBits(f);
            for (int i = 0; i < 4; i++) {
                out.write(bits >>> (8 * i));
            }
            return this;
        }

        private Proto bytes(int field, byte[] b) {
            tag(field, 2);
            writeVarint(b.length);
            out.writeBytes(b);
            return this;
        }

        private void tag(int field, int wire) {
            writeVarint((long) field << 3 | wire);
        }

        private void writeVarint(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) (v & 0x7F) | 0x80);
                v >>>= 7;
            }
            out.write((int) v);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    private static Proto piece(String text, float score, int type) {
        return new Proto().string(1, text).fixed32(2, score).varint(3, type);
    }

    /** unk, s, /s, then "a", "b", "ab", "▁", "▁ab" with a chosen model type and normalizer. */
    private static byte[] model(int modelType, boolean byteFallback, boolean removeExtraWhitespaces, String charsmap) {
        Proto m = new Proto()
                .message(1, piece("<unk>", 0, 2))
                .message(1, piece("<s>", 0, 3))
                .message(1, piece("</s>", 0, 3))
                .message(1, piece("a", -3, 1))
                .message(1, piece("b", -4, 1))
                .message(1, piece("ab", -1, 1))
                .message(1, piece("▁", -5, 1))
                .message(1, piece("▁ab", -2, 1))
                .message(1, piece("<sep>", 0, 4));
        m.message(2, new Proto().varint(3, modelType).varint(35, byteFallback ? 1 : 0).varint(40, 0).varint(41, 1)
                .varint(42, 2).varint(43, -1L));
        Proto norm = new Proto().string(1, "identity").varint(4, removeExtraWhitespaces ? 1 : 0);
        if (!charsmap.isEmpty()) {
            norm.string(2, charsmap);
        }
        return m.message(3, norm).bytes();
    }

    @Test
    void readsPiecesAndSettingsIncludingNegativeInt32() {
        SentencePieceModel m = SentencePieceModel.parse(model(2, false, false, ""), "test.model");
        assertThat(m.pieces()).hasSize(9);
        assertThat(m.pieces().get(5)).isEqualTo(new SentencePieceModel.Piece("ab", -1f,
                SentencePieceModel.PieceType.NORMAL));
        assertThat(m.trainer().padId()).isEqualTo(-1);
        assertThat(m.trainer().unkSurface()).isEqualTo(" \u2047 ");
        assertThat(m.normalizer().escapeWhitespaces()).isTrue(); // proto default when absent
    }

    @Test
    void mergesByPieceScoreFoldsUnknownRunsAndKeepsUserDefinedPiecesWhole() {
        SentencePieceBpeTokenizer t = new SentencePieceBpeTokenizer(
                SentencePieceModel.parse(model(2, false, false, ""), "test.model"));
        // "▁ab" (-2) needs "▁"+"ab": "ab" (-1) merges first, then "▁ab".
        assertThat(t.encode("ab")).containsExactly(7);
        // Unknown characters without byte fallback: one <unk> per run, as sentencepiece does.
        assertThat(t.encode("ab xyz")).containsExactly(7, 6, 0);
        assertThat(t.decodeKeepingSpecials(new int[] {7, 6, 0})).isEqualTo("ab  \u2047 ");
        // User-defined pieces are matched whole and never merged with neighbours.
        assertThat(t.encode("a<sep>b")).containsExactly(6, 3, 8, 4);
    }

    @Test
    void removeExtraWhitespacesCollapsesSpaces() {
        SentencePieceBpeTokenizer t = new SentencePieceBpeTokenizer(
                SentencePieceModel.parse(model(2, false, true, ""), "test.model"));
        assertThat(t.encode("  ab   ab  ")).containsExactly(7, 7);
        assertThat(t.decode(new int[] {6, 6, 7})).isEqualTo("ab");
    }

    @Test
    void rejectsUnigramWithAClearMessage() {
        byte[] unigram = model(1, false, false, "");
        assertThatThrownBy(() -> new SentencePieceBpeTokenizer(SentencePieceModel.parse(unigram, "uni.model")))
                .isInstanceOf(TokenizerException.class)
                .hasMessageContaining("UNIGRAM").hasMessageContaining("only BPE");
    }

    @Test
    void rejectsNormalizationTables() {
        byte[] nfkc = model(2, false, false, "\u0001\u0002");
        assertThatThrownBy(() -> new SentencePieceBpeTokenizer(SentencePieceModel.parse(nfkc, "nfkc.model")))
                .isInstanceOf(TokenizerException.class).hasMessageContaining("charsmap");
    }

    @Test
    void truncatedFileNamesTheFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        byte[] good = Files.readAllBytes(GoldenTokenizerFiles.TOKENIZER_MODEL);
        Path broken = dir.resolve("broken.model");
        for (int cut = 1; cut < good.length; cut += 97) {
            Files.write(broken, java.util.Arrays.copyOf(good, cut));
            assertThatThrownBy(() -> SentencePieceModel.read(broken)).isInstanceOf(TokenizerException.class)
                    .hasMessageContaining("broken.model").hasMessageContaining("malformed");
        }
        assertThatThrownBy(() -> SentencePieceModel.read(dir.resolve("missing.model")))
                .isInstanceOf(TokenizerException.class).hasMessageContaining("not found");
    }

    @Test
    void decodeRejectsIdsOutsideTheVocabulary() {
        SentencePieceBpeTokenizer t = SentencePieceBpeTokenizer.load(GoldenTokenizerFiles.TOKENIZER_MODEL);
        assertThatThrownBy(() -> t.decode(new int[] {5, 320})).isInstanceOf(TokenizerException.class)
                .hasMessageContaining("320");
        assertThatThrownBy(() -> t.decode(new int[] {-200})).isInstanceOf(TokenizerException.class);
    }

    @Test
    void evePostProcessingUsesPythonWhitespace() {
        assertThat(EveOutputText.of("\u00a0 answer\u2007</s>\u000b ")).isEqualTo("answer");
        assertThat(EveOutputText.of("a</s></s>")).isEqualTo("a</s>");
        assertThat(EveOutputText.strip("\u0085x\u202f")).isEqualTo("x");
    }
}
