package dev.eveflink.model.cli;

/** The command line itself is wrong (exit 2, with usage text). */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
