package dev.eveflink.model.engine;

/**
 * Loads the engine for a key: reads the weights onto {@link EngineKey#device()} and starts its
 * worker. {@link EnginePool} calls it at most once per key while leases on that key exist.
 */
@FunctionalInterface
public interface EngineLoader {

    /** A ready engine for {@code key}; any failure is reported to every caller waiting for it. */
    CloseableInferenceService load(EngineKey key) throws Exception;
}
