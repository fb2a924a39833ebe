package dev.eveflink.model.engine;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * An {@link InferenceService} that owns resources (a device's weights, worker threads) and frees
 * them on {@link #close()}. {@link EnginePool} closes it when its last lease is returned.
 */
public interface CloseableInferenceService extends InferenceService, AutoCloseable {

    /** Frees the engine's resources. Called once, by the pool, after the last lease is closed. */
    @Override
    void close() throws Exception;

    /**
     * Adapts a service and the action that frees it, e.g. {@code of(engine, engine::close)} for an
     * engine class that implements {@link InferenceService} and {@link AutoCloseable} separately.
     */
    static CloseableInferenceService of(InferenceService service, AutoCloseable closer) {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(closer, "closer");
        return new CloseableInferenceService() {
            @Override
            public CompletableFuture<InferenceOutcome> submit(InferenceRequest request) {
                return service.submit(request);
            }

            @Override
            public EngineStats stats() {
                return service.stats();
            }

            @Override
            public String device() {
                return service.device();
            }

            @Override
            public void close() throws Exception {
                closer.close();
            }

            @Override
            public String toString() {
                return service.toString();
            }
        };
    }
}
