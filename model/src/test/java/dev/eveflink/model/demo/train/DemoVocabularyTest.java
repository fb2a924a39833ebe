package dev.eveflink.model.demo.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eveflink.model.demo.world.DemoPolicy;
import dev.eveflink.model.demo.world.QuestionAnswer;
import dev.eveflink.model.demo.world.World;
import dev.eveflink.model.demo.world.WorldSample;
import dev.eveflink.model.tokenizer.ChatTemplate;
import dev.eveflink.model.tokenizer.SentencePieceModel;
import dev.eveflink.model.tokenizer.Tokenizer;
import dev.eveflink.model.tokenizer.Tokenizers;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoVocabularyTest {

    @Test
    void writtenTokenizerLoadsAndRoundTripsTheWorldWithOnePiecePerWord(@TempDir Path dir) throws Exception {
        DemoModelSpec.TINY.writeModelFiles(dir, DemoVocabulary.pieces());
        SentencePieceModel model = SentencePieceModel.read(dir.resolve("tokenizer.model"));
        assertThat(model.pieces()).isEqualTo(DemoVocabulary.pieces());
        Tokenizer tok = Tokenizers.load(dir);
        assertThat(tok.bosId()).isEqualTo(1);
        assertThat(tok.eosId()).isEqualTo(2);
        assertThat(tok.unkId()).isZero();
        for (int i = 0; i < 50; i++) {
            WorldSample s = World.sample(7, i);
            assertRoundTrip(tok, s.truth().caption());
            // "a" "red" "circle" "and" ... : every word of a caption is a single piece
            assertThat(tok.encode(s.truth().caption())).hasSize(s.truth().caption().split(" ").length);
            for (QuestionAnswer qa : s.truth().questions()) {
                assertRoundTrip(tok, qa.question());
                assertThat(tok.encode(qa.answer())).hasSize(1);
                assertThat(tok.piece(tok.encode(qa.answer())[0])).isEqualTo("\u2581" + qa.answer());
            }
        }
        for (DemoPolicy p : DemoPolicy.values()) {
            assertRoundTrip(tok, p.question());
        }
        for (ChatTemplate t : ChatTemplate.values()) {
            String prompt = t.prompt(DemoVocabulary.CAPTION_QUESTION, false);
            assertRoundTrip(tok, prompt);
            assertThat(tok.encode(prompt)).doesNotContain(tok.unkId());
        }
        assertRoundTrip(tok, "Unseen words still work: byte fallback for \u00e9 and \u2603!");
    }

    private static void assertRoundTrip(Tokenizer tok, String text) {
        assertThat(tok.decode(tok.encode(text))).isEqualTo(text);
    }
}
