package dev.eveflink.model.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.eveflink.model.testutil.GoldenCases;
import dev.eveflink.model.tokenizer.Tokenizer;
import dev.eveflink.model.tokenizer.Tokenizers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class YesNoScorerTest {

    /**
     * A vocabulary of whole pieces: {@code encode("w")} is the piece "▁w" when it exists, else "▁" and
     * one piece per character (<unk> for a character it lacks).
     */
    private static final class PieceTokenizer implements Tokenizer {
        private final List<String> pieces;

        PieceTokenizer(String... pieces) {
            this.pieces = List.of(pieces);
        }

        @Override
        public int[] encode(String text) {
            OptionalInt whole = pieceId("\u2581" + text);
            if (whole.isPresent()) {
                return new int[] {whole.getAsInt()};
            }
            List<Integer> ids = new ArrayList<>();
            ids.add(pieceId("\u2581").orElseThrow());
            for (char c : text.toCharArray()) {
                ids.add(pieceId(String.valueOf(c)).orElse(0)); // unknown characters: <unk>
            }
            return ids.stream().mapToInt(Integer::intValue).toArray();
        }

        @Override
        public String decode(int[] ids) {
            return String.join("", Arrays.stream(ids).mapToObj(this::piece).toList());
        }

        @Override
        public String piece(int id) {
            return pieces.get(id);
        }

        @Override
        public OptionalInt pieceId(String piece) {
            int i = pieces.indexOf(piece);
            return i < 0 ? OptionalInt.empty() : OptionalInt.of(i);
        }

        @Override
        public int vocabSize() {
            return pieces.size();
        }

        @Override
        public int bosId() {
            return 1;
        }

        @Override
        public int eosId() {
            return 2;
        }

        @Override
        public int unkId() {
            return 0;
        }

        @Override
        public boolean isSpecial(int id) {
            return id < 3;
        }

        @Override
        public boolean stripsDummyPrefixOnDecode() {
            return true;
        }
    }

    private static final PieceTokenizer SPELLINGS = new PieceTokenizer("<unk>", "<s>", "</s>", "\u2581yes", "Yes",
            "\u2581YES", "\u2581no", "No", "\u2581maybe", "yes.", "\u2581", "y", "e", "s", "n", "o");

    private static int id(String piece) {
        return SPELLINGS.pieceId(piece).orElseThrow();
    }

    @Test
    void everySingleTokenSpellingCountsAndNothingElse() {
        YesNoScorer scorer = new YesNoScorer(SPELLINGS);
        assertThat(scorer.yesIds()).containsExactlyInAnyOrder(id("\u2581yes"), id("Yes"), id("\u2581YES"));
        assertThat(scorer.noIds()).containsExactlyInAnyOrder(id("\u2581no"), id("No"));
    }

    @Test
    void probabilitiesSumTheSpellingsAndTheScoreNormalisesThem() {
        YesNoScorer scorer = new YesNoScorer(SPELLINGS);
        float[] logits = new float[SPELLINGS.vocabSize()];
        logits[id("\u2581yes")] = 2f;
        logits[id("Yes")] = 1f;
        logits[id("\u2581no")] = 0.5f;
        logits[id("\u2581maybe")] = 3f;
        double z = 0;
        for (float l : logits) {
            z += Math.exp(l);
        }
        double pYes = (Math.exp(2) + Math.exp(1) + Math.exp(0)) / z; // ▁yes, Yes, ▁YES (logit 0)
        double pNo = (Math.exp(0.5) + Math.exp(0)) / z; // ▁no, No
        YesNoScore score = scorer.score(logits);
        assertThat(score.pYes()).isCloseTo(pYes, offset(1e-12));
        assertThat(score.pNo()).isCloseTo(pNo, offset(1e-12));
        assertThat(score.score()).isCloseTo(pYes / (pYes + pNo), offset(1e-12));
    }

    @Test
    void theScoreSurvivesProbabilitiesThatUnderflow() {
        YesNoScorer scorer = new YesNoScorer(SPELLINGS);
        float[] logits = new float[SPELLINGS.vocabSize()];
        Arrays.fill(logits, -2000f);
        logits[id("\u2581maybe")] = 0f;
        logits[id("\u2581yes")] = -1000f;
        logits[id("\u2581no")] = -1001f;
        YesNoScore score = scorer.score(logits);
        assertThat(score.pYes()).isZero();
        assertThat(score.pNo()).isZero();
        assertThat(score.score()).isCloseTo(1 / (1 + Math.exp(-1)), offset(1e-12));
    }

    @Test
    void multiTokenWordsFallBackToTheirFirstDifferentToken() {
        PieceTokenizer letters = new PieceTokenizer("<unk>", "<s>", "</s>", "\u2581", "y", "e", "s", "n", "o");
        YesNoScorer scorer = new YesNoScorer(letters);
        assertThat(scorer.yesIds()).containsExactly(letters.pieceId("y").orElseThrow());
        assertThat(scorer.noIds()).containsExactly(letters.pieceId("n").orElseThrow());
    }

    @Test
    void withTheGoldenTokenizerTheAnswersAreTheirFirstDistinctPieces() {
        try (Tokenizer golden = Tokenizers.load(GoldenCases.DEFAULT_ROOT)) {
            YesNoScorer scorer = new YesNoScorer(golden);
            // The tiny reference vocabulary has no "yes"/"no" piece: both start with "▁", then differ.
            assertThat(scorer.yesIds()).hasSize(1);
            assertThat(scorer.noIds()).hasSize(1);
            assertThat(golden.piece(scorer.yesIds()[0])).isIn("y", "\u2581y");
            assertThat(golden.piece(scorer.noIds()[0])).isIn("n", "\u2581n");
            float[] logits = GoldenCases.load().get("c00_grad_shapes_64x64_q0").prefillLogitsLast();
            YesNoScore score = scorer.score(logits);
            assertThat(score.score()).isCloseTo(score.pYes() / (score.pYes() + score.pNo()), offset(1e-9));
        }
    }

    @Test
    void scoresAreValidated() {
        assertThat(YesNoScore.of(0.2, 0.6).score()).isCloseTo(0.25, offset(1e-12));
        assertThat(YesNoScore.of(0, 0).score()).isEqualTo(0.5);
        assertThatThrownBy(() -> new YesNoScore(0.7, 0.7, 0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new YesNoScore(Double.NaN, 0.1, 0.5)).hasMessageContaining("pYes");
    }
}
