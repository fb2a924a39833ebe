package dev.eveflink.model.policy;

/** A policies file that cannot be used; the message names the source and, where known, the line. */
public final class PolicyFileException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int line;

    public PolicyFileException(String source, int line, String message) {
        super(source + (line > 0 ? ":" + line : "") + ": " + message);
        this.line = line;
    }

    public PolicyFileException(String source, int line, String message, Throwable cause) {
        super(source + (line > 0 ? ":" + line : "") + ": " + message, cause);
        this.line = line;
    }

    /** The 1-based line the problem is on, or 0 when it concerns the whole file. */
    public int line() {
        return line;
    }
}
