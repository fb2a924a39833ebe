package dev.eveflink.model.weights;

/**
 * A checkpoint cannot be loaded: a file is missing or truncated, a header or pickle is malformed or
 * refused, a tensor is missing, has an unsupported dtype or the wrong shape. The message always
 * names the offending file and/or tensor.
 */
public final class CheckpointException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
