package dev.eveflink.model.engine;

import dev.eveflink.model.Prompt;
import dev.eveflink.model.generate.SamplingParams;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A request ready for the scheduler: its prompt built (image preprocessed, template applied,
 * tokenized) on the CPU pool. Times are on the scheduler's nanosecond clock.
 *
 * @param id the caller's id
 * @param task generate or score
 * @param prompts the ids and image to prefill, one full prompt per question (exactly one for GENERATE;
 *     for SCORE_YES_NO all about the same image)
 * @param params decoding settings
 * @param priority 0..9, higher first
 * @param deadlineNanos answer TIMEOUT once the clock reaches this; {@link #NO_DEADLINE} = never
 * @param submitNanos when the caller submitted it
 * @param future completed exactly once with the outcome
 */
public record PreparedRequest(
        String id,
        Task task,
        List<Prompt> prompts,
        SamplingParams params,
        int priority,
        long deadlineNanos,
        long submitNanos,
        CompletableFuture<InferenceOutcome> future) {

    public static final long NO_DEADLINE = Long.MAX_VALUE;

    public PreparedRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(prompts, "prompts");
        prompts = List.copyOf(prompts);
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("request " + id + " has no prompt");
        }
        if (task == Task.GENERATE && prompts.size() != 1) {
            throw new IllegalArgumentException("a GENERATE request has one prompt, request " + id + " has "
                    + prompts.size());
        }
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(future, "future");
    }

    /** A request of one prompt. */
    public PreparedRequest(String id, Task task, Prompt prompt, SamplingParams params, int priority, long deadlineNanos,
            long submitNanos, CompletableFuture<InferenceOutcome> future) {
        this(id, task, List.of(Objects.requireNonNull(prompt, "prompt")), params, priority, deadlineNanos, submitNanos,
                future);
    }

    /** The first (for GENERATE, the only) prompt. */
    public Prompt prompt() {
        return prompts.get(0);
    }

    public boolean expired(long nowNanos) {
        return deadlineNanos != NO_DEADLINE && nowNanos >= deadlineNanos;
    }
}
