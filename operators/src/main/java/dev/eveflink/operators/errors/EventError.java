package dev.eveflink.operators.errors;

import java.io.Serializable;
import java.util.Objects;

/**
 * A typed error: a code plus a human-readable message that names the offending thing.
 *
 * @param code what went wrong, machine-readable
 * @param message details for people, never null
 */
public record EventError(ErrorCode code, String message) implements Serializable {

    public EventError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    /** Shorthand for {@code new EventError(code, message)}. */
    public static EventError of(ErrorCode code, String message) {
        return new EventError(code, message);
    }
}
