package dev.eveflink.model.demo.world;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the world knows to be true of a scene: its caption, its legal questions with their
 * answers, and the demo policies' decisions.
 *
 * @param caption e.g. {@code a blue square and an orange cross on a black background}
 * @param questions every legal question asked of the scene, each once, in a fixed order
 * @param policies the decision of every {@link DemoPolicy}, in enum order
 */
public record GroundTruth(String caption, List<QuestionAnswer> questions, List<PolicyTruth> policies) {
    public GroundTruth {
        Objects.requireNonNull(caption, "caption");
        questions = List.copyOf(questions);
        policies = List.copyOf(policies);
        Set<String> seen = new LinkedHashSet<>();
        for (QuestionAnswer qa : questions) {
            if (!seen.add(qa.question())) {
                throw new IllegalArgumentException("question asked twice: '" + qa.question() + "'");
            }
        }
    }

    /**
     * The truth of a scene. Questions, in this order: the count; the background; {@code is there a
     * {kind}?} for all four kinds; {@code what color is the {kind}?} for each kind present exactly
     * once; left and right where there are two or more shapes; {@code is there {article} {color}
     * {kind}?} for each distinct present combination (yes) and as many absent ones (no), drawn with
     * {@code questionSeed}, half of the draws, on average, among near misses (same kind or same color
     * as a present shape); finally {@code is there anything red?}.
     */
    public static GroundTruth of(Scene scene, long questionSeed) {
        List<QuestionAnswer> questions = new ArrayList<>();
        List<Shape> shapes = scene.shapes();
        questions.add(new QuestionAnswer("how many shapes are there?", WorldSpec.numberWord(shapes.size())));
        questions.add(new QuestionAnswer("what color is the background?", scene.background().word()));
        Map<ShapeKind, List<Shape>> byKind = new EnumMap<>(ShapeKind.class);
        for (ShapeKind kind : ShapeKind.values()) {
            byKind.put(kind, shapes.stream().filter(s -> s.kind() == kind).toList());
        }
        for (ShapeKind kind : ShapeKind.values()) {
            // The spec writes "is there a {kind}?": every kind word starts with a consonant.
            questions.add(new QuestionAnswer("is there a " + kind.word() + "?",
                    yesNo(!byKind.get(kind).isEmpty())));
        }
        for (ShapeKind kind : ShapeKind.values()) {
            if (byKind.get(kind).size() == 1) {
                questions.add(new QuestionAnswer("what color is the " + kind.word() + "?",
                        byKind.get(kind).get(0).color().word()));
            }
        }
        if (shapes.size() >= 2) {
            questions.add(new QuestionAnswer("what shape is on the left?", scene.leftmost().kind().word()));
            questions.add(new QuestionAnswer("what shape is on the right?", scene.rightmost().kind().word()));
        }
        questions.addAll(ComboQuestions.of(scene, new WorldRandom(questionSeed)));
        questions.add(new QuestionAnswer(DemoPolicy.RED_ALERT.question(), yesNo(DemoPolicy.RED_ALERT.truth(scene))));

        List<PolicyTruth> policies = new ArrayList<>();
        for (DemoPolicy policy : DemoPolicy.values()) {
            policies.add(new PolicyTruth(policy, policy.truth(scene)));
        }
        return new GroundTruth(caption(scene), questions, policies);
    }

    /** {@code {article} {color} {kind}} per shape, left to right, joined with {@code and}, then the background. */
    public static String caption(Scene scene) {
        List<String> phrases = scene.shapes().stream().map(Shape::phrase).toList();
        return String.join(" and ", phrases) + " on a " + scene.background().word() + " background";
    }

    /** The answer to a question, if the question is among this scene's legal ones. */
    public Optional<String> answerTo(String question) {
        return questions.stream().filter(qa -> qa.question().equals(question)).map(QuestionAnswer::answer).findFirst();
    }

    /** Whether a policy flags this scene. */
    public boolean flagged(DemoPolicy policy) {
        return policies.stream().filter(p -> p.policy() == policy).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no truth for policy " + policy))
                .flagged();
    }

    static String yesNo(boolean value) {
        return value ? "yes" : "no";
    }
}
