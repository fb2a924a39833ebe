package dev.eveflink.model;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import dev.eveflink.model.config.EveConfig;
import dev.eveflink.model.config.PreprocessorConfig;
import dev.eveflink.model.decoder.LlamaDecoder;
import dev.eveflink.model.vision.VisionTokenizer;
import dev.eveflink.model.weights.CheckpointLoader;
import dev.eveflink.model.weights.WeightMap;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EVE v1 on one device: the patch embedding layer, the projector and the LLaMA decoder, with their
 * weights in one long-lived manager that {@link #close()} frees. Not thread-safe: the thread that
 * runs a model owns every tensor of it (an engine gives each device one worker thread).
 */
public final class EveModel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EveModel.class);

    private final NDManager manager;
    private final EveConfig config;
    private final PreprocessorConfig imageConfig;
    private final VisionTokenizer vision;
    private final LlamaDecoder decoder;
    private final ForwardCounts counts = new ForwardCounts();

    private EveModel(NDManager manager, EveConfig config, PreprocessorConfig imageConfig,
            VisionTokenizer vision, LlamaDecoder decoder) {
        this.manager = manager;
        this.config = config;
        this.imageConfig = imageConfig;
        this.vision = vision;
        this.decoder = decoder;
    }

    /**
     * Loads a checkpoint directory laid out as EVE publishes it. Computes in float32 on CPU and
     * float16 on GPU (bfloat16 weights are converted while loading).
     */
    public static EveModel load(Path modelDir, Device device) {
        return load(modelDir, device, device.isGpu() ? DataType.FLOAT16 : DataType.FLOAT32);
    }

    public static EveModel load(Path modelDir, Device device, DataType type) {
        long started = System.nanoTime();
        EveConfig config = EveConfig.read(modelDir);
        PreprocessorConfig imageConfig = PreprocessorConfig.read(modelDir, config);
        NDManager manager = NDManager.newBaseManager(device); // starts the engine (loads libtorch)
        JniUtils.setGradMode(false);
        try {
            WeightMap weights = CheckpointLoader.load(modelDir, manager, type);
            VisionTokenizer vision = new VisionTokenizer(config, imageConfig, weights, type);
            LlamaDecoder decoder = new LlamaDecoder(config, weights, manager, type);
            weights.assertAllUsed();
            LOG.info("Loaded EVE from {} on {} as {} in {} ms ({} layers, hidden {}, vision width {})",
                    modelDir, device, type, (System.nanoTime() - started) / 1_000_000,
                    config.numLayers(), config.hiddenSize(), config.visionWidth());
            return new EveModel(manager, config, imageConfig, vision, decoder);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public EveConfig config() {
        return config;
    }

    public PreprocessorConfig imageConfig() {
        return imageConfig;
    }

    public Device device() {
        return manager.getDevice();
    }

    /** The patch layer, for callers that need its intermediates (tests, the CLI's grid report). */
    public VisionTokenizer vision() {
        return vision;
    }

    /**
     * Prefills a batch of prompts (left-padded into one forward) and returns the batch, ready for
     * KV-cached decode steps. The caller closes it.
     *
     * @param maxNewTokens decode steps the batch's cache must hold room for
     */
    public PromptBatch prefill(List<Prompt> prompts, int maxNewTokens) {
        JniUtils.setGradMode(false);
        return PromptBatch.prefill(manager, vision, decoder, prompts, maxNewTokens, counts);
    }

    /**
     * A continuous batch of {@code slots} sequences of up to {@code capacity} positions each (capacity
     * at most max_position_embeddings); its KV cache is allocated now. The caller closes it.
     */
    public SlotBatch newSlotBatch(int slots, int capacity) {
        return new SlotBatch(manager, vision, decoder, slots, capacity, counts);
    }

    /**
     * Scores groups of prompts about one image each with the image's prefix prefilled once per group:
     * one forward for all prefixes, one for all suffixes (see {@link SharedPrompt}). Returns one
     * next-token logits row per suffix, group by group; they equal the full prompts' prefill logits.
     */
    public float[][] scoreShared(List<SharedPrompt> groups) {
        JniUtils.setGradMode(false);
        return SharedPrefixScoring.score(manager, vision, decoder, groups, counts);
    }

    /** Image encodes and decoder forwards run so far (tests prove sharing with it). */
    ForwardCounts counts() {
        return counts;
    }

    /** Positions a prompt takes in the decoder: its tokens, with the image marker replaced by N_vis. */
    public int promptLength(Prompt prompt) {
        if (prompt.image() == null) {
            return prompt.tokenCount();
        }
        int[] grid = vision.grid(prompt.image());
        return prompt.tokenCount() - 1 + 1 + grid[0] * (grid[1] + 1);
    }

    /** Live arrays owned by this model and its open batches (a leak shows as growth). */
    public int liveArrays() {
        return manager.getManagedArrays().size();
    }

    @Override
    public void close() {
        manager.close();
    }
}
