package dev.eveflink.model.engine;

import java.util.concurrent.CompletableFuture;

/**
 * What callers (the Flink operator, the batch CLI) see of an engine: submit a request, get a future
 * of a plain Java outcome. Record-level problems complete the future normally with a non-OK outcome;
 * only an engine-fatal failure completes it exceptionally (so Flink restarts the task).
 */
public interface InferenceService {

    CompletableFuture<InferenceOutcome> submit(InferenceRequest request);

    /** A consistent snapshot of the engine's load, readable at any time from any thread. */
    EngineStats stats();

    /** The device the engine runs on, e.g. "cpu()" or "gpu(0)". */
    String device();
}
