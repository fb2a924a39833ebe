package dev.eveflink.model.engine;

import dev.eveflink.model.generate.SamplingParams;
import java.time.Instant;
import java.util.Objects;

/**
 * One request to an engine: plain Java, no tensors. The question is wrapped in EVE's chat template by
 * the engine; the image, if any, is decoded and preprocessed on the engine's CPU pool.
 *
 * @param id caller's id, echoed in the outcome
 * @param task generate text, or score yes/no
 * @param image encoded image bytes (PNG, JPEG, ...), or null for a text-only prompt
 * @param question the user turn of the prompt
 * @param params decoding settings (for SCORE_YES_NO only its limits matter)
 * @param priority 0..9, higher first
 * @param deadline answer TIMEOUT without using the model once this has passed; null = none
 */
public record InferenceRequest(
        String id, Task task, byte[] image, String question, SamplingParams params, int priority, Instant deadline) {

    public static final int DEFAULT_PRIORITY = 5;

    public InferenceRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(params, "params");
        if (priority < 0 || priority > 9) {
            throw new IllegalArgumentException("priority must be 0..9, got " + priority);
        }
    }
}
