package dev.eveflink.model.engine;

import dev.eveflink.model.generate.SamplingParams;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One request to an engine: plain Java, no tensors. Each question is wrapped in EVE's chat template by
 * the engine; the image, if any, is decoded and preprocessed once on the engine's CPU pool.
 *
 * <p>A SCORE_YES_NO request may ask several questions about the same image ({@link #scoring}): the
 * engine prefills the image's prefix once and answers every question from it, one
 * {@link dev.eveflink.model.generate.YesNoScore} each, in order. A GENERATE request asks one.
 *
 * @param id caller's id, echoed in the outcome
 * @param task generate text, or score yes/no
 * @param image encoded image bytes (PNG, JPEG, ...), or null for a text-only prompt
 * @param questions the user turns, one prompt each (exactly one for GENERATE)
 * @param params decoding settings (for SCORE_YES_NO only its limits matter)
 * @param priority 0..9, higher first
 * @param deadline answer TIMEOUT without using the model once this has passed; null = none
 */
public record InferenceRequest(
        String id, Task task, byte[] image, List<String> questions, SamplingParams params, int priority,
        Instant deadline) {

    public static final int DEFAULT_PRIORITY = 5;

    public InferenceRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(questions, "questions");
        Objects.requireNonNull(params, "params");
        for (int i = 0; i < questions.size(); i++) {
            Objects.requireNonNull(questions.get(i), "question " + i);
        }
        questions = List.copyOf(questions);
        if (questions.isEmpty()) {
            throw new IllegalArgumentException("request " + id + " asks no question");
        }
        if (task == Task.GENERATE && questions.size() != 1) {
            throw new IllegalArgumentException("a GENERATE request asks exactly one question, request " + id
                    + " asks " + questions.size());
        }
        if (priority < 0 || priority > 9) {
            throw new IllegalArgumentException("priority must be 0..9, got " + priority);
        }
    }

    /** A request with one question (GENERATE, or SCORE_YES_NO of a single question). */
    public InferenceRequest(String id, Task task, byte[] image, String question, SamplingParams params, int priority,
            Instant deadline) {
        this(id, task, image, List.of(Objects.requireNonNull(question, "question")), params, priority, deadline);
    }

    /** Scores K yes/no questions about one image from one prefill of its prefix. */
    public static InferenceRequest scoring(String id, byte[] image, List<String> questions, SamplingParams params,
            int priority, Instant deadline) {
        return new InferenceRequest(id, Task.SCORE_YES_NO, image, questions, params, priority, deadline);
    }

    /** The first (for GENERATE, the only) question. */
    public String question() {
        return questions.get(0);
    }
}
