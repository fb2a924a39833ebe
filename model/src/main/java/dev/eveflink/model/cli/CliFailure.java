package dev.eveflink.model.cli;

/** A runtime failure the user can act on: a missing file, a rejected image (exit 1, one line). */
final class CliFailure extends Exception {
    private static final long serialVersionUID = 1L;

    CliFailure(String message) {
        super(message);
    }
}
