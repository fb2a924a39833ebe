package dev.eveflink.model.engine;

import dev.eveflink.model.Prompt;
import dev.eveflink.model.generate.SamplingParams;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A request ready for the scheduler: its prompt built (image preprocessed, template applied,
 * tokenized) on the CPU pool. Times are on the scheduler's nanosecond clock.
 *
 * @param id the caller's id
 * @param task generate or score
 * @param prompt the ids and image to prefill
 * @param params decoding settings
 * @param priority 0..9, higher first
 * @param deadlineNanos answer TIMEOUT once the clock reaches this; {@link #NO_DEADLINE} = never
 * @param submitNanos when the caller submitted it
 * @param future completed exactly once with the outcome
 */
public record PreparedRequest(
        String id,
        Task task,
        Prompt prompt,
        SamplingParams params,
        int priority,
        long deadlineNanos,
        long submitNanos,
        CompletableFuture<InferenceOutcome> future) {

    public static final long NO_DEADLINE = Long.MAX_VALUE;

    public PreparedRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(future, "future");
    }

    public boolean expired(long nowNanos) {
        return deadlineNanos != NO_DEADLINE && nowNanos >= deadlineNanos;
    }
}
