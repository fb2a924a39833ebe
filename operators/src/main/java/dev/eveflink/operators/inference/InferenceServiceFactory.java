package dev.eveflink.operators.inference;

import dev.eveflink.model.engine.CloseableInferenceService;
import dev.eveflink.model.engine.EngineKey;
import dev.eveflink.model.engine.EngineLoader;
import java.io.Serializable;

/**
 * Creates the engine for an {@link EngineKey} on a TaskManager. It travels with the job graph, so
 * it must be serializable and should hold only configuration: {@code EnginePool} calls {@link
 * #load} once per key and JVM, in {@code open()} of the first subtask that needs the engine.
 *
 * <p>The job passes the real engine, e.g. {@code key -> CloseableInferenceService.of(engine,
 * engine::close)}; tests pass fakes.
 */
@FunctionalInterface
public interface InferenceServiceFactory extends EngineLoader, Serializable {

    /**
     * A ready engine on {@code key.device()} for the checkpoint in {@code key.modelDir()}; the
     * options {@code maxBatchSize} and {@code maxWait} (see {@link InferenceOptions#engineKey})
     * and any {@link InferenceOptions#engineOptions()} are in {@code key.options()}.
     */
    @Override
    CloseableInferenceService load(EngineKey key) throws Exception;
}
