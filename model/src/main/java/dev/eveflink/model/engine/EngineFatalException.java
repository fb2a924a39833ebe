package dev.eveflink.model.engine;

/**
 * The engine cannot go on (device lost, corrupt weights, repeated model failures, closed). Every
 * pending future completes exceptionally with it, so that Flink restarts the task from its
 * checkpoint. A {@link SlotModel} throws it to say that a failure is not worth a retry.
 */
public class EngineFatalException extends RuntimeException {
    public EngineFatalException(String message) {
        super(message);
    }

    public EngineFatalException(String message, Throwable cause) {
        super(message, cause);
    }
}
