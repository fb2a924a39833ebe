package dev.eveflink.model.image;

import java.util.Objects;

/** A refused image: carries an {@link ImageErrorCode} and a message that says what was wrong. */
public final class ImageException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ImageErrorCode code;

    public ImageException(ImageErrorCode code, String message) {
        super(code + ": " + message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ImageException(ImageErrorCode code, String message, Throwable cause) {
        super(code + ": " + message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** The machine-readable reason. */
    public ImageErrorCode code() {
        return code;
    }
}
