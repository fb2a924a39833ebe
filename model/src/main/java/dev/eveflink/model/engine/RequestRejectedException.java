package dev.eveflink.model.engine;

/** A record-level problem found while preparing a request; becomes a REJECTED outcome. */
final class RequestRejectedException extends Exception {
    private final String code;

    RequestRejectedException(String code, String message) {
        super(message);
        this.code = code;
    }

    String code() {
        return code;
    }
}
