package dev.eveflink.model.demo.world;

import java.util.Objects;

/**
 * One legal question about a scene and its one-word answer.
 *
 * @param question lower case, single spaces, ending with {@code ?}
 * @param answer one word: a color, a kind, a background, yes/no or one/two/three
 */
public record QuestionAnswer(String question, String answer) {
    public QuestionAnswer {
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(answer, "answer");
        if (!question.matches("[a-z]+( [a-z]+)*\\?")) {
            throw new IllegalArgumentException("question must be lower-case words with single spaces ending in '?': '"
                    + question + "'");
        }
        if (!answer.matches("[a-z]+")) {
            throw new IllegalArgumentException("answer must be one lower-case word: '" + answer + "'");
        }
    }
}
