package dev.eveflink.model.demo.world;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The {@code is there {article} {color} {kind}?} questions of a scene: present combos and a sample of absent ones. */
final class ComboQuestions {
    private ComboQuestions() {}

    /** A color and kind pair. */
    private record Combo(ShapeColor color, ShapeKind kind) {
        String question() {
            return "is there " + WorldSpec.articleFor(color.word()) + " " + color.word() + " " + kind.word() + "?";
        }
    }

    static List<QuestionAnswer> of(Scene scene, WorldRandom random) {
        Set<Combo> present = new LinkedHashSet<>();
        for (Shape shape : scene.shapes()) {
            present.add(new Combo(shape.color(), shape.kind()));
        }
        List<Combo> absent = new ArrayList<>();
        List<Combo> nearMisses = new ArrayList<>();
        for (ShapeKind kind : ShapeKind.values()) {
            for (ShapeColor color : ShapeColor.values()) {
                Combo combo = new Combo(color, kind);
                if (present.contains(combo)) {
                    continue;
                }
                absent.add(combo);
                if (present.stream().anyMatch(p -> p.color() == color || p.kind() == kind)) {
                    nearMisses.add(combo);
                }
            }
        }
        List<QuestionAnswer> questions = new ArrayList<>();
        for (Combo combo : present) {
            questions.add(new QuestionAnswer(combo.question(), "yes"));
        }
        // As many absent combos as present ones, so yes and no are balanced.
        for (int i = 0; i < present.size(); i++) {
            boolean nearMiss = random.nextInt(2) == 0 && !nearMisses.isEmpty();
            List<Combo> pool = nearMiss ? nearMisses : absent;
            Combo chosen = pool.get(random.nextInt(pool.size()));
            absent.remove(chosen);
            nearMisses.remove(chosen);
            questions.add(new QuestionAnswer(chosen.question(), "no"));
        }
        return questions;
    }
}
