package dev.eveflink.model.cli;

import dev.eveflink.model.Prompt;
import dev.eveflink.model.vision.VisualInput;

/** Turns the ids and image a user gave into a {@link Prompt}, as usage errors when they don't fit. */
final class PromptArgs {
    private PromptArgs() {}

    static Prompt prompt(int[] ids, VisualInput image) throws UsageException {
        try {
            return new Prompt(ids, image);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
