package dev.eveflink.model.policy;

import java.util.Arrays;
import java.util.Locale;

/**
 * What the pipeline downstream should do with an image a policy flags. eve-flink only reports it
 * with the verdict (the flagged topic carries it); acting on it is the consumer's job.
 */
public enum PolicyAction {
    /** Keep the image from being published. */
    BLOCK,
    /** Hold the image until a person decides. */
    QUARANTINE,
    /** Publish the image with a label. */
    LABEL;

    /** The action written in a policies file ({@code block}, {@code quarantine}, {@code label}), any case. */
    public static PolicyAction parse(String text) {
        for (PolicyAction action : values()) {
            if (action.name().equalsIgnoreCase(text.trim())) {
                return action;
            }
        }
        throw new IllegalArgumentException("unknown action '" + text + "', expected one of "
                + Arrays.stream(values()).map(PolicyAction::fileName).toList());
    }

    /** The action's name in a policies file. */
    public String fileName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
