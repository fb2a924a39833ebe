package dev.eveflink.operators.errors;

import org.apache.flink.util.Preconditions;

/**
 * Either a value or a typed error, so that record-level problems never escape as exceptions.
 *
 * @param value the value when ok, else null
 * @param error the error when not ok, else null
 * @param <T> the value type
 */
public record Outcome<T>(T value, EventError error) {

    public Outcome {
        if ((value == null) == (error == null)) {
            throw new IllegalArgumentException("exactly one of value and error must be set");
        }
    }

    /** A successful outcome. */
    public static <T> Outcome<T> ok(T value) {
        return new Outcome<>(Preconditions.checkNotNull(value, "value"), null);
    }

    /** A failed outcome. */
    public static <T> Outcome<T> failed(EventError error) {
        return new Outcome<>(null, Preconditions.checkNotNull(error, "error"));
    }

    /** A failed outcome built from its code and message. */
    public static <T> Outcome<T> failed(ErrorCode code, String message) {
        return failed(EventError.of(code, message));
    }

    /** True when this outcome holds a value. */
    public boolean isOk() {
        return value != null;
    }
}
