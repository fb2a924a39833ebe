package dev.eveflink.model.policy;

/** A request names policies a {@link PolicySet} cannot give it; the message says which and why. */
public final class PolicySelectionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public PolicySelectionException(String message) {
        super(message);
    }
}
