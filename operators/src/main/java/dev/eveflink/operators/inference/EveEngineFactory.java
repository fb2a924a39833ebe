package dev.eveflink.operators.inference;

import dev.eveflink.model.engine.CloseableInferenceService;
import dev.eveflink.model.engine.EngineKey;
import dev.eveflink.model.engine.EngineOptions;
import dev.eveflink.model.engine.EveEngines;
import java.time.Duration;

/**
 * The real engine behind {@link EveAsyncFunction}: EVE from the key's model directory on the key's
 * device, with the key's batching options. One per device per TaskManager (the pool shares it).
 */
public final class EveEngineFactory implements InferenceServiceFactory {
    private static final long serialVersionUID = 1L;

    /** Engine option: positions one sequence may use (prompt plus answer); default: the model's context. */
    public static final String MAX_POSITIONS_KEY = "maxPositions";

    @Override
    public CloseableInferenceService load(EngineKey key) {
        EngineOptions options = EngineOptions.builder()
                .setMaxBatchSize(Integer.parseInt(key.option(InferenceOptions.MAX_BATCH_SIZE_KEY, "8")))
                .setMaxWait(Duration.parse(key.option(InferenceOptions.MAX_WAIT_KEY, "PT0.005S")))
                .build();
        int maxPositions = Integer.parseInt(key.option(MAX_POSITIONS_KEY, Integer.toString(Integer.MAX_VALUE)));
        return EveEngines.start(key.modelDir(), EveEngines.device(key.device()), options, maxPositions);
    }
}
