package dev.eveflink.model.engine;

import ai.djl.Device;
import dev.eveflink.model.EveModel;
import dev.eveflink.model.config.EveConfig;
import dev.eveflink.model.config.PreprocessorConfig;
import dev.eveflink.model.tokenizer.Tokenizer;
import dev.eveflink.model.tokenizer.Tokenizers;
import java.nio.file.Path;

/** Starts an {@link Engine} over a real EVE checkpoint: the one way every caller builds one. */
public final class EveEngines {
    private EveEngines() {}

    /**
     * Loads the checkpoint on {@code device} (on the engine's own worker thread) and starts its
     * scheduler. The returned service closes the engine, the model and the tokenizer.
     *
     * @param maxPositions positions one sequence may use (prompt plus answer); at most the model's context
     */
    public static CloseableInferenceService start(Path modelDir, Device device, EngineOptions options,
            int maxPositions) {
        Tokenizer tokenizer = Tokenizers.load(modelDir);
        try {
            EveConfig config = EveConfig.read(modelDir);
            PreprocessorConfig imageConfig = PreprocessorConfig.read(modelDir, config);
            int positions = Math.min(maxPositions, config.maxPositions());
            Engine engine = Engine.start(
                    () -> new EveSlotModel(EveModel.load(modelDir, device), options.maxBatchSize(), positions, true),
                    tokenizer, imageConfig, options);
            return CloseableInferenceService.of(engine, () -> {
                engine.close();
                tokenizer.close();
            });
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    /** A DJL device from its printed name: {@code cpu()}, {@code cpu}, {@code gpu(1)}, {@code gpu:1}. */
    public static Device device(String name) {
        String n = name.strip().toLowerCase(java.util.Locale.ROOT);
        if (n.equals("cpu") || n.equals("cpu()")) {
            return Device.cpu();
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("gpu[(:]?(\\d+)\\)?").matcher(n);
        if (m.matches()) {
            return Device.gpu(Integer.parseInt(m.group(1)));
        }
        throw new IllegalArgumentException("unknown device '" + name + "' (cpu, gpu(N))");
    }
}
