package dev.eveflink.model.generate;

import dev.eveflink.model.Prompt;
import java.util.Objects;

/** A prompt (with its image) and how to decode it. */
public record GenerationRequest(Prompt prompt, SamplingParams params) {
    public GenerationRequest {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(params, "params");
    }
}
