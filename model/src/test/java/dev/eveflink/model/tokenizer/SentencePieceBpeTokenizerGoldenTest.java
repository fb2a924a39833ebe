package dev.eveflink.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.eveflink.model.tokenizer.SentencePieceModel.ModelType;
import dev.eveflink.model.tokenizer.SentencePieceModel.Piece;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The pure Java encoder/decoder against python sentencepiece 0.1.97 on the tiny-a tokenizer. */
class SentencePieceBpeTokenizerGoldenTest {
    private static SentencePieceBpeTokenizer tokenizer;

    @BeforeAll
    static void load() {
        tokenizer = SentencePieceBpeTokenizer.load(GoldenTokenizerFiles.TOKENIZER_MODEL);
    }

    @Test
    void readsTheModelProtoSettings() {
        SentencePieceModel m = tokenizer.model();
        assertThat(m.trainer().modelType()).isEqualTo(ModelType.BPE);
        assertThat(m.trainer().byteFallback()).isTrue();
        assertThat(m.trainer().splitDigits()).isTrue();
        assertThat(m.trainer().padId()).isEqualTo(-1);
        assertThat(m.normalizer().name()).isEqualTo("identity");
        assertThat(m.normalizer().addDummyPrefix()).isTrue();
        assertThat(m.normalizer().removeExtraWhitespaces()).isFalse();
        assertThat(m.normalizer().escapeWhitespaces()).isTrue();
        assertThat(tokenizer.unkId()).isZero();
        assertThat(tokenizer.bosId()).isEqualTo(1);
        assertThat(tokenizer.eosId()).isEqualTo(2);
    }

    @Test
    void everyPieceMatchesVocabJson() {
        List<JsonObject> vocab = GoldenTokenizerFiles.objects(GoldenTokenizerFiles.vocab());
        assertThat(tokenizer.vocabSize()).isEqualTo(vocab.size()).isEqualTo(320);
        for (JsonObject v : vocab) {
            int id = v.get("id").getAsInt();
            Piece p = tokenizer.model().pieces().get(id);
            assertThat(p.text()).as("piece %d", id).isEqualTo(v.get("piece").getAsString());
            assertThat(p.score()).as("score %d", id).isEqualTo(v.get("score").getAsFloat());
            assertThat(p.type().name().toLowerCase(Locale.ROOT).replace("_", ""))
                    .as("type %d", id).isEqualTo(v.get("type").getAsString().replace("_", ""));
            assertThat(tokenizer.piece(id)).isEqualTo(p.text());
            assertThat(tokenizer.pieceId(p.text())).hasValue(id);
        }
        assertThat(tokenizer.pieceId("▁yes")).isEmpty();
        assertThat(tokenizer.pieceId("▁the")).hasValue(262);
    }

    @TestFactory
    List<DynamicTest> encodeCasesMatchSentencepiece() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonObject c : GoldenTokenizerFiles.objects(GoldenTokenizerFiles.encodings().getAsJsonArray("encode"))) {
            String text = c.get("text").getAsString();
            tests.add(DynamicTest.dynamicTest(abbreviate(text), () -> {
                int[] ids = tokenizer.encode(text);
                assertThat(ids).as("ids of %s", text).containsExactly(GoldenTokenizerFiles.ints(c.getAsJsonArray("ids")));
                List<String> pieces = new ArrayList<>();
                for (int id : ids) {
                    pieces.add(tokenizer.piece(id));
                }
                assertThat(pieces).isEqualTo(GoldenTokenizerFiles.strings(c.getAsJsonArray("pieces")));
                assertThat(tokenizer.decode(ids)).isEqualTo(c.get("decoded").getAsString());
                assertThat(ChatTemplate.tokenizeWithImage(tokenizer, text))
                        .containsExactly(GoldenTokenizerFiles.ints(c.getAsJsonArray("hf_input_ids")));
            }));
        }
        assertThat(tests).hasSize(32);
        return tests;
    }

    @TestFactory
    List<DynamicTest> decodeCasesMatchSentencepieceAndEve() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonObject c : GoldenTokenizerFiles.objects(GoldenTokenizerFiles.encodings().getAsJsonArray("decode"))) {
            int[] ids = GoldenTokenizerFiles.ints(c.getAsJsonArray("ids"));
            tests.add(DynamicTest.dynamicTest(c.get("name").getAsString(), () -> {
                assertThat(tokenizer.decodeKeepingSpecials(ids)).isEqualTo(c.get("sp_decode").getAsString());
                String eve = c.get("eve_output_text").getAsString();
                assertThat(EveOutputText.of(tokenizer.decode(ids))).isEqualTo(eve);
                assertThat(streamed(ids)).isEqualTo(eve);
            }));
        }
        assertThat(tests).hasSize(9);
        return tests;
    }

    @TestFactory
    List<DynamicTest> imagePromptsMatchTokenizerImageToken() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonObject c : GoldenTokenizerFiles.objects(
                GoldenTokenizerFiles.encodings().getAsJsonArray("image_prompts"))) {
            String prompt = c.get("prompt").getAsString();
            tests.add(DynamicTest.dynamicTest(abbreviate(prompt.substring(Math.max(0, prompt.indexOf("USER:")))), () ->
                    assertThat(ChatTemplate.tokenizeWithImage(tokenizer, prompt))
                            .containsExactly(GoldenTokenizerFiles.ints(c.getAsJsonArray("input_ids")))));
        }
        assertThat(tests).hasSize(3);
        return tests;
    }

    @TestFactory
    List<DynamicTest> everyCasePromptAndInputIds() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonObject c : GoldenTokenizerFiles.cases()) {
            tests.add(DynamicTest.dynamicTest(c.get("id").getAsString(), () -> {
                boolean withImage = !c.get("image").isJsonNull();
                String prompt = ChatTemplate.DEFAULT.prompt(c.get("question").getAsString(), withImage);
                assertThat(prompt).isEqualTo(c.get("prompt").getAsString());
                int[] expected = GoldenTokenizerFiles.ints(c.getAsJsonArray("input_ids"));
                int[] ids = ChatTemplate.tokenizeWithImage(tokenizer, prompt);
                assertThat(ids).containsExactly(expected);
                assertThat(java.util.Arrays.stream(ids).filter(id -> id == ChatTemplate.IMAGE_TOKEN_ID).count())
                        .isEqualTo(withImage ? 1L : 0L);
            }));
        }
        assertThat(tests).hasSize(13);
        return tests;
    }

    @TestFactory
    List<DynamicTest> greedyTokensDecodeToEveOutputText() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonObject c : GoldenTokenizerFiles.cases()) {
            JsonObject greedy = c.getAsJsonObject("greedy");
            int[] tokens = GoldenTokenizerFiles.ints(greedy.getAsJsonArray("tokens"));
            String expected = greedy.get("output_text").getAsString();
            tests.add(DynamicTest.dynamicTest(c.get("id").getAsString(), () -> {
                assertThat(EveOutputText.of(tokenizer.decode(tokens))).isEqualTo(expected);
                assertThat(streamed(tokens)).isEqualTo(expected);
            }));
        }
        return tests;
    }

    private static String streamed(int[] ids) {
        IncrementalDetokenizer d = new IncrementalDetokenizer(tokenizer);
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            sb.append(d.accept(id));
        }
        return sb.append(d.finish()).toString();
    }

    private static String abbreviate(String s) {
        String oneLine = s.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r");
        return oneLine.length() <= 40 ? "'" + oneLine + "'" : "'" + oneLine.substring(0, 37) + "...'";
    }
}
