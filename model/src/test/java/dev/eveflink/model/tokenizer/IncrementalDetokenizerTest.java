package dev.eveflink.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IncrementalDetokenizerTest {
    private static SentencePieceBpeTokenizer tokenizer;

    @BeforeAll
    static void load() {
        tokenizer = SentencePieceBpeTokenizer.load(GoldenTokenizerFiles.TOKENIZER_MODEL);
    }

    private static List<String> feed(IncrementalDetokenizer d, int[] ids) {
        List<String> parts = new ArrayList<>();
        for (int id : ids) {
            parts.add(d.accept(id));
        }
        parts.add(d.finish());
        return parts;
    }

    @Test
    void emojiAndCjkOverBytePiecesNeverEmitHalfACharacter() {
        String text = "日本語 emoji 🙂 and 🚀 family 👨‍👩‍👧 end";
        int[] ids = tokenizer.encode(text);
        assertThat(ids).as("the tiny vocabulary spells these characters with byte pieces")
                .contains(tokenizer.pieceId("<0xF0>").getAsInt(), tokenizer.pieceId("<0xE6>").getAsInt());
        IncrementalDetokenizer d = new IncrementalDetokenizer(tokenizer);
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            String part = d.accept(id);
            assertThat(part).doesNotContain("\uFFFD");
            if (!part.isEmpty()) {
                assertThat(Character.isHighSurrogate(part.charAt(part.length() - 1))).isFalse();
                assertThat(Character.isLowSurrogate(part.charAt(0))).isFalse();
            }
            if (tokenizer.byteValue(id) >= 0xC0) {
                assertThat(part).as("a lead byte alone completes nothing").isEmpty();
            }
            sb.append(part);
        }
        sb.append(d.finish());
        assertThat(sb.toString()).isEqualTo(text);
    }

    @Test
    void fourBytePiecesOfOneEmojiEmitOnlyOnTheLast() {
        int[] ids = {byteId(0xF0), byteId(0x9F), byteId(0x99), byteId(0x82)};
        List<String> parts = feed(new IncrementalDetokenizer(tokenizer), ids);
        assertThat(parts).containsExactly("", "", "", "🙂", "");
    }

    @Test
    void truncatedAndInvalidBytesBecomeReplacementCharactersLikeSentencepiece() {
        // E2 82 then a letter: two U+FFFD as soon as the letter shows the character cannot complete.
        int letter = tokenizer.pieceId("a").getAsInt();
        List<String> parts = feed(new IncrementalDetokenizer(tokenizer), new int[] {byteId(0xE2), byteId(0x82), letter});
        assertThat(String.join("", parts)).isEqualTo("\uFFFD\uFFFDa");
        assertThat(parts.get(0)).isEmpty();
        assertThat(parts.get(1)).isEmpty();
        // A lone continuation byte is invalid at once.
        assertThat(new IncrementalDetokenizer(tokenizer).accept(byteId(0x82))).isEqualTo("\uFFFD");
        // A truncated sequence at the very end is flushed by finish().
        IncrementalDetokenizer d = new IncrementalDetokenizer(tokenizer);
        assertThat(d.accept(byteId(0xE2))).isEmpty();
        assertThat(d.finish()).isEqualTo("\uFFFD");
    }

    @Test
    void leadingDummyPrefixAndWhitespaceAreDroppedTrailingWhitespaceHeldBack() {
        int space = tokenizer.pieceId("▁").getAsInt();
        int newline = byteId(0x0A);
        int[] ids = {tokenizer.bosId(), space, space, newline, tokenizer.pieceId("▁the").getAsInt(), space, newline,
            tokenizer.pieceId("▁a").getAsInt(), space, tokenizer.eosId()};
        IncrementalDetokenizer d = new IncrementalDetokenizer(tokenizer);
        List<String> parts = feed(d, ids);
        assertThat(parts.subList(0, 4)).containsOnly("");
        assertThat(parts.get(4)).isEqualTo("the");
        assertThat(parts.get(5)).isEmpty(); // a trailing space might be the end of the answer
        assertThat(parts.get(7)).isEqualTo(" \n a");
        assertThat(String.join("", parts)).isEqualTo(EveOutputText.of(tokenizer.decode(ids))).isEqualTo("the \n a");
    }

    @Test
    void literalStopStringAtTheEndIsRemovedLikeEve() {
        int[] ids = tokenizer.encode("the end</s>  ");
        assertThat(String.join("", feed(new IncrementalDetokenizer(tokenizer), ids))).isEqualTo("the end");
        int[] inner = tokenizer.encode("a</s>b");
        assertThat(String.join("", feed(new IncrementalDetokenizer(tokenizer), inner))).isEqualTo("a</s>b");
    }

    @Test
    void streamEqualsEveOutputTextForRandomIdSequences() {
        Random r = new Random(11);
        for (int trial = 0; trial < 2000; trial++) {
            int[] ids = new int[r.nextInt(20)];
            for (int i = 0; i < ids.length; i++) {
                // Bias towards byte pieces and spaces, where the edge cases are.
                int pick = r.nextInt(4);
                ids[i] = pick == 0 ? 3 + 0x80 + r.nextInt(128) : pick == 1 ? tokenizer.pieceId("▁").getAsInt()
                        : r.nextInt(tokenizer.vocabSize());
            }
            String expected = EveOutputText.of(tokenizer.decode(ids));
            assertThat(String.join("", feed(new IncrementalDetokenizer(tokenizer), ids)))
                    .as("ids %s", java.util.Arrays.toString(ids)).isEqualTo(expected);
        }
    }

    @Test
    void rejectsIdsOutsideTheVocabularyAndUseAfterFinish() {
        IncrementalDetokenizer d = new IncrementalDetokenizer(tokenizer);
        assertThatThrownBy(() -> d.accept(320)).isInstanceOf(TokenizerException.class).hasMessageContaining("320");
        assertThatThrownBy(() -> d.accept(-200)).isInstanceOf(TokenizerException.class);
        d.finish();
        assertThatThrownBy(() -> d.accept(5)).isInstanceOf(IllegalStateException.class);
    }

    private static int byteId(int b) {
        return tokenizer.pieceId(BytePieces.pieceOf(b)).getAsInt();
    }
}
