package dev.eveflink.model.engine;

/** Loading the engine for a key failed; every lease waiting for that load gets this exception. */
public final class EngineLoadException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The key whose engine could not be loaded. */
    private final transient EngineKey key;

    public EngineLoadException(EngineKey key, Throwable cause) {
        super("cannot load the engine for " + key + ": " + cause, cause);
        this.key = key;
    }

    /** The key whose engine could not be loaded. */
    public EngineKey key() {
        return key;
    }
}
