package dev.eveflink.model.config;

/** A checkpoint's configuration is missing a key, has a wrong value, or breaks one of EVE's rules. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
