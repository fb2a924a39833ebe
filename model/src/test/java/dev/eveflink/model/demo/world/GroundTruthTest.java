package dev.eveflink.model.demo.world;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class GroundTruthTest {
    private static final String COLORS = "red|green|blue|yellow|purple|orange";
    private static final String KINDS = "circle|square|triangle|cross";
    private static final Pattern PHRASE = Pattern.compile("(a|an) (" + COLORS + ") (" + KINDS + ")");
    private static final Pattern CAPTION = Pattern.compile(
            "(" + PHRASE + ")( and " + PHRASE + "){0,2} on a (white|gray|black) background");
    private static final Pattern COLOR_OF = Pattern.compile("what color is the (" + KINDS + ")\\?");
    private static final Pattern KIND_PRESENT = Pattern.compile("is there a (" + KINDS + ")\\?");
    private static final Pattern COMBO_PRESENT = Pattern.compile("is there (a|an) (" + COLORS + ") (" + KINDS + ")\\?");
    private static final Set<String> VOCABULARY = Stream.of(COLORS.split("\\|"), KINDS.split("\\|"),
            new String[] {"white", "gray", "black", "yes", "no", "one", "two", "three"})
            .flatMap(Stream::of).collect(Collectors.toSet());

    @Test
    void captionsFollowTheGrammarWithArticlesAndLeftToRightOrder() {
        Shape orangeCross = new Shape(ShapeKind.CROSS, ShapeColor.ORANGE, new BoundingBox(55, 5, 40));
        Shape blueSquare = new Shape(ShapeKind.SQUARE, ShapeColor.BLUE, new BoundingBox(5, 55, 40));
        Scene scene = new Scene(100, 100, Background.BLACK, false, 0, List.of(blueSquare, orangeCross));
        assertThat(GroundTruth.caption(scene)).isEqualTo("a blue square and an orange cross on a black background");
        for (int i = 0; i < 3000; i++) {
            Scene sampled = World.scene(21, i);
            String caption = GroundTruth.caption(sampled);
            assertThat(caption).matches(CAPTION);
            Matcher phrase = PHRASE.matcher(caption);
            List<String> seen = new ArrayList<>();
            while (phrase.find()) {
                assertThat(phrase.group(1)).isEqualTo(phrase.group(2).equals("orange") ? "an" : "a");
                seen.add(phrase.group(2) + " " + phrase.group(3));
            }
            List<String> leftToRight = sampled.shapes().stream()
                    .sorted((a, b) -> Double.compare(a.box().centerX(), b.box().centerX()))
                    .map(s -> s.color().word() + " " + s.kind().word()).toList();
            assertThat(seen).isEqualTo(leftToRight);
            assertThat(caption).endsWith(" on a " + sampled.background().word() + " background");
        }
    }

    @Test
    void everyQuestionIsLegalWellFormedAndAnsweredFromTheVocabulary() {
        for (int i = 0; i < 3000; i++) {
            Scene scene = World.scene(22, i);
            GroundTruth truth = GroundTruth.of(scene, i);
            List<Shape> shapes = scene.shapes();
            Set<String> questions = new HashSet<>();
            int yesCombos = 0;
            int noCombos = 0;
            for (QuestionAnswer qa : truth.questions()) {
                String q = qa.question();
                assertThat(questions.add(q)).as("asked once: %s", q).isTrue();
                assertThat(q).matches("[a-z]+( [a-z]+)*\\?");
                assertThat(VOCABULARY).contains(qa.answer());
                Matcher colorOf = COLOR_OF.matcher(q);
                if (colorOf.matches()) {
                    long sameKind = shapes.stream().filter(s -> s.kind().word().equals(colorOf.group(1))).count();
                    assertThat(sameKind).as("'%s' needs exactly one such shape", q).isEqualTo(1);
                }
                if (q.startsWith("what shape is on the")) {
                    assertThat(shapes.size()).as("'%s' needs two shapes", q).isGreaterThanOrEqualTo(2);
                }
                Matcher combo = COMBO_PRESENT.matcher(q);
                if (combo.matches()) {
                    assertThat(combo.group(1)).isEqualTo(WorldSpec.articleFor(combo.group(2)));
                    if (qa.answer().equals("yes")) {
                        yesCombos++;
                    } else {
                        noCombos++;
                    }
                }
            }
            for (ShapeKind kind : ShapeKind.values()) {
                assertThat(questions).contains("is there a " + kind.word() + "?");
                long count = shapes.stream().filter(s -> s.kind() == kind).count();
                assertThat(questions.contains("what color is the " + kind.word() + "?")).isEqualTo(count == 1);
            }
            assertThat(questions.contains("what shape is on the left?")).isEqualTo(shapes.size() >= 2);
            assertThat(questions.contains("what shape is on the right?")).isEqualTo(shapes.size() >= 2);
            assertThat(questions).contains("how many shapes are there?", "what color is the background?",
                    "is there anything red?");
            long distinctCombos = shapes.stream().map(s -> s.color() + "/" + s.kind()).distinct().count();
            assertThat(yesCombos).isEqualTo(distinctCombos);
            assertThat(noCombos).isEqualTo(distinctCombos);
        }
    }

    @Test
    void policiesAreTheCrossAndRedQuestions() {
        for (int i = 0; i < 2000; i++) {
            Scene scene = World.scene(23, i);
            GroundTruth truth = GroundTruth.of(scene, i);
            boolean cross = scene.shapes().stream().anyMatch(s -> s.kind() == ShapeKind.CROSS);
            boolean red = scene.shapes().stream().anyMatch(s -> s.color() == ShapeColor.RED);
            assertThat(truth.flagged(DemoPolicy.PROHIBITED_SYMBOL)).isEqualTo(cross);
            assertThat(truth.flagged(DemoPolicy.RED_ALERT)).isEqualTo(red);
            assertThat(truth.answerTo("is there a cross?")).contains(cross ? "yes" : "no");
            assertThat(truth.answerTo("is there anything red?")).contains(red ? "yes" : "no");
        }
        assertThat(DemoPolicy.PROHIBITED_SYMBOL.policyName()).isEqualTo("prohibited-symbol");
        assertThat(DemoPolicy.RED_ALERT.policyName()).isEqualTo("red-alert");
    }

    /** Answers recomputed from the decoded pixels of PNG and JPEG samples, never from the truth's code. */
    @Test
    void everyAnswerAndTheCaptionAgreeWithWhatThePixelsShowInBothFormats() {
        SceneRenderer renderer = new SceneRenderer();
        for (int i = 0; i < 100; i++) {
            WorldSample sample = World.sample(24, i);
            Scene scene = sample.scene();
            for (Encoding encoding : List.of(Encoding.png(), Encoding.jpeg(85))) {
                PixelReading.Observed seen = PixelReading.read(
                        PixelReading.decode(renderer.encode(scene, encoding)), scene);
                assertThat(sample.truth().caption()).as("%s %s", encoding, scene).isEqualTo(captionOf(seen));
                for (QuestionAnswer qa : sample.truth().questions()) {
                    assertThat(qa.answer()).as("%s on %s (%s)", qa.question(), scene, encoding)
                            .isEqualTo(answer(qa.question(), seen));
                }
            }
        }
    }

    private static String captionOf(PixelReading.Observed seen) {
        List<String> phrases = new ArrayList<>();
        for (int i = 0; i < seen.kinds().size(); i++) {
            String color = seen.colors().get(i).word();
            phrases.add((color.startsWith("o") ? "an " : "a ") + color + " " + seen.kinds().get(i).word());
        }
        return String.join(" and ", phrases) + " on a " + seen.background().word() + " background";
    }

    private static String answer(String question, PixelReading.Observed seen) {
        List<String> kinds = seen.kinds().stream().map(ShapeKind::word).toList();
        List<String> colors = seen.colors().stream().map(ShapeColor::word).toList();
        int n = kinds.size();
        switch (question) {
            case "how many shapes are there?":
                return List.of("one", "two", "three").get(n - 1);
            case "what color is the background?":
                return seen.background().word();
            case "what shape is on the left?":
                return kinds.get(0);
            case "what shape is on the right?":
                return kinds.get(n - 1);
            case "is there anything red?":
                return colors.contains("red") ? "yes" : "no";
            default:
                break;
        }
        Matcher colorOf = COLOR_OF.matcher(question);
        if (colorOf.matches()) {
            return colors.get(kinds.indexOf(colorOf.group(1)));
        }
        Matcher kind = KIND_PRESENT.matcher(question);
        if (kind.matches()) {
            return kinds.contains(kind.group(1)) ? "yes" : "no";
        }
        Matcher combo = COMBO_PRESENT.matcher(question);
        if (combo.matches()) {
            for (int i = 0; i < n; i++) {
                if (colors.get(i).equals(combo.group(2)) && kinds.get(i).equals(combo.group(3))) {
                    return "yes";
                }
            }
            return "no";
        }
        throw new AssertionError("not a question form of the world: " + question);
    }
}
