package dev.eveflink.operators.errors;

import org.apache.flink.util.Preconditions;

import java.io.Serializable;

/**
 * A typed error: a code plus a human-readable message that names the offending thing.
 *
 * @param code what went wrong, machine-readable
 * @param message details for people, never null
 */
public record EventError(ErrorCode code, String message) implements Serializable {

    public EventError {
        Preconditions.checkNotNull(code, "code");
        Preconditions.checkNotNull(message, "message");
    }

    /** Shorthand for {@code new EventError(code, message)}. */
    public static EventError of(ErrorCode code, String message) {
        return new EventError(code, message);
    }
}
