package dev.eveflink.model.demo.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.eveflink.model.config.EveConfig;
import dev.eveflink.model.config.PreprocessorConfig;
import dev.eveflink.model.demo.world.World;
import dev.eveflink.model.tokenizer.SentencePieceModel.Piece;
import dev.eveflink.model.tokenizer.Tokenizer;
import dev.eveflink.model.tokenizer.Tokenizers;
import dev.eveflink.model.weights.CheckpointFormat;
import dev.eveflink.model.weights.CheckpointLoader;
import dev.eveflink.model.weights.InferenceTensors;
import dev.eveflink.model.weights.SafetensorsWriter;
import dev.eveflink.model.weights.WeightMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the demo EVE on the shapes world with DJL's autograd, through EVE's own inference classes.
 *
 * <p>Run directory: {@code training/} holds everything a resume needs ({@code model.safetensors} with every
 * parameter including the training-only heads, {@code optimizer/model.safetensors} with AdamW's moments,
 * {@code state.json} with the step and the plan, and the model files); {@code model/} holds the published
 * model (EVE's layout, inference tensors only), loadable by {@code EveModel.load}. Step {@code s} trains on
 * world images {@code s*B .. s*B+B-1} of the seed, so the step number is the whole data position and a resume
 * continues exactly.
 *
 * <p>Not thread-safe; everything runs on the calling thread (libtorch's grad mode is per thread).
 */
public final class DemoTrainer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DemoTrainer.class);
    static final String TRAINING = "training";
    static final String MODEL = "model";

    private final TrainerOptions options;
    private final NDManager manager;
    private final Path trainingDir;
    private final Tokenizer tokenizer;
    private final ExampleBuilder examples;
    private final WeightMap weights;
    private final DemoNetwork network;
    private final Map<String, NDArray> trainable = new LinkedHashMap<>();
    private final AdamW optimizer;
    private final List<Piece> pieces;
    private int step; // steps done

    /** Opens a run: fresh (writing the initial weights), resumed, or initialised from another run. */
    public DemoTrainer(TrainerOptions requested) {
        this.trainingDir = requested.out().resolve(TRAINING);
        this.pieces = DemoVocabulary.pieces();
        boolean resuming = requested.resume() && Files.isRegularFile(trainingDir.resolve("state.json"));
        TrainerOptions opts = requested;
        try {
            if (resuming) {
                JsonObject state = readState(trainingDir);
                this.step = state.get("step").getAsInt();
                opts = planOf(state, requested);
            } else {
                requested.spec().writeModelFiles(trainingDir, pieces);
                if (requested.init() != null) {
                    copyWeights(requested.init(), trainingDir);
                } else {
                    SafetensorsWriter.write(trainingDir.resolve("model.safetensors"),
                            DemoParameters.initial(requested.spec(), pieces.size(), requested.seed()),
                            Map.of("format", "pt"));
                }
                deleteRecursively(trainingDir.resolve("optimizer"));
                this.step = 0;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + trainingDir, e);
        }
        this.options = opts;
        this.manager = NDManager.newBaseManager(Device.cpu());
        try {
            EveConfig config = EveConfig.read(trainingDir);
            PreprocessorConfig image = PreprocessorConfig.read(trainingDir, config);
            this.tokenizer = Tokenizers.load(trainingDir);
            this.examples = new ExampleBuilder(tokenizer, image);
            this.weights = CheckpointLoader.load(trainingDir, manager, DataType.FLOAT32, CheckpointFormat.SAFETENSORS,
                    InferenceTensors.all());
            this.network = new DemoNetwork(config, image, weights, manager);
            for (String name : weights.names()) {
                if (options.stage() == TrainerOptions.Stage.FULL || DemoParameters.isVision(name)) {
                    NDArray p = weights.get(name, weights.shape(name));
                    p.setRequiresGradient(true);
                    trainable.put(name, p);
                }
            }
            Map<String, NDArray> moments = Map.of();
            Path opt = trainingDir.resolve("optimizer");
            if (resuming && Files.isRegularFile(opt.resolve("model.safetensors"))) {
                moments = new LinkedHashMap<>();
                WeightMap saved = CheckpointLoader.load(opt, manager, DataType.FLOAT32, CheckpointFormat.SAFETENSORS,
                        InferenceTensors.all());
                for (String n : saved.names()) {
                    moments.put(n, saved.get(n, saved.shape(n)));
                }
            }
            this.optimizer = new AdamW(manager, trainable, moments, options.weightDecay());
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        LOG.info("{} run at step {} of {} ({} stage, {} trainable tensors, {} parameters)",
                resuming ? "Resumed" : "Started", step, options.steps(), options.stage(), trainable.size(),
                trainable.values().stream().mapToLong(NDArray::size).sum());
    }

    public static void main(String[] args) {
        TrainerOptions options;
        try {
            options = TrainerOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        try (DemoTrainer trainer = new DemoTrainer(options)) {
            trainer.train();
        }
    }

    /** Steps done so far. */
    public int step() {
        return step;
    }

    public TrainerOptions options() {
        return options;
    }

    /** The training images of step {@code s}. */
    public List<TrainingExample> batchAt(int s) {
        List<TrainingExample> batch = new ArrayList<>(options.batch());
        for (int i = 0; i < options.batch(); i++) {
            batch.add(examples.build(World.sample(options.seed(), s * options.batch() + i)));
        }
        return batch;
    }

    /** Examples of arbitrary world samples (e.g. a held-out seed). */
    public List<TrainingExample> examples(long worldSeed, int first, int count) {
        List<TrainingExample> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(examples.build(World.sample(worldSeed, first + i)));
        }
        return out;
    }

    /** The losses of a batch without gradients: {total, answer (or NaN), cell kind, cell color, shape list}. */
    public float[] evaluate(List<TrainingExample> batch) {
        JniUtils.setGradMode(false);
        try (NDScope scope = new NDScope();
                NDManager tmp = manager.newSubManager()) {
            DemoNetwork.Losses l = network.losses(tmp, batch, options.stage() == TrainerOptions.Stage.FULL);
            scope.suppressNotUsedWarning();
            return floats(l, l.total(options.auxWeight()));
        }
    }

    /** The training forward's logits [B, T, V] of a packed batch, as a flat Java array. */
    public float[] packedLogits(List<TrainingExample> batch) {
        JniUtils.setGradMode(false);
        try (NDScope scope = new NDScope();
                NDManager tmp = manager.newSubManager()) {
            float[] out = network.packedLogits(tmp, batch).toFloatArray();
            scope.suppressNotUsedWarning();
            return out;
        }
    }

    /** One optimisation step on {@code batch}; returns its losses before the update (as {@link #evaluate}). */
    public float[] trainStep(List<TrainingExample> batch) {
        float[] losses;
        try (NDScope scope = new NDScope();
                NDManager tmp = manager.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            DemoNetwork.Losses l = network.losses(tmp, batch, options.stage() == TrainerOptions.Stage.FULL);
            NDArray total = l.total(options.auxWeight());
            collector.backward(total);
            losses = floats(l, total);
            scope.suppressNotUsedWarning();
        }
        optimizer.step(options.learningRate(step), step + 1L, options.clipNorm());
        step++;
        return losses;
    }

    /** Trains up to {@link TrainerOptions#lastStep()}, logging progress and checkpointing on the way. */
    public void train() {
        int last = options.lastStep();
        long started = System.nanoTime();
        int startStep = step;
        double[] window = new double[5];
        int windowSteps = 0;
        long images = 0;
        long tokens = 0;
        while (step < last) {
            List<TrainingExample> batch = batchAt(step);
            for (TrainingExample ex : batch) {
                images++;
                tokens += ex.packedLength();
            }
            float[] l = trainStep(batch);
            for (int i = 0; i < window.length; i++) {
                window[i] += l[i];
            }
            windowSteps++;
            if (step % options.logEvery() == 0 || step == last) {
                double secs = (System.nanoTime() - started) / 1e9;
                double perStep = secs / (step - startStep);
                System.err.printf(Locale.ROOT,
                        "step %d/%d loss %.4f answer %.4f kind %.4f color %.4f shapes %.4f lr %.2e | %.2f img/s"
                                + " %.0f tok/s %.2f s/step | ETA %s%n",
                        step, options.steps(), window[0] / windowSteps, window[1] / windowSteps,
                        window[2] / windowSteps, window[3] / windowSteps, window[4] / windowSteps,
                        options.learningRate(step - 1), images / secs, tokens / secs, perStep,
                        duration((long) (perStep * (options.steps() - step))));
                window = new double[5];
                windowSteps = 0;
            }
            if (options.checkpointEvery() > 0 && step % options.checkpointEvery() == 0 && step < last) {
                checkpoint();
            }
        }
        checkpoint();
    }

    /** Saves the resumable state and publishes the model. */
    public void checkpoint() {
        try {
            Map<String, NDArray> all = new LinkedHashMap<>();
            for (String name : weights.names()) {
                all.put(name, weights.get(name, weights.shape(name)));
            }
            TensorFiles.write(trainingDir.resolve("model.safetensors"), all);
            TensorFiles.write(trainingDir.resolve("optimizer").resolve("model.safetensors"), optimizer.state());
            writeState();
            publish(options.out().resolve(MODEL), all);
            LOG.info("Checkpoint at step {} in {}", step, options.out());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint of step " + step, e);
        }
    }

    private void publish(Path modelDir, Map<String, NDArray> all) throws IOException {
        Map<String, NDArray> inference = new LinkedHashMap<>();
        all.forEach((name, a) -> {
            if (!DemoParameters.isTrainingOnly(name)) {
                inference.put(name, a);
            }
        });
        options.spec().writeModelFiles(modelDir, pieces);
        TensorFiles.write(modelDir.resolve("model.safetensors"), inference);
    }

    private void writeState() throws IOException {
        JsonObject s = new JsonObject();
        s.addProperty("step", step);
        s.addProperty("steps", options.steps());
        s.addProperty("stage", options.stage().name().toLowerCase(Locale.ROOT));
        s.addProperty("batch", options.batch());
        s.addProperty("seed", options.seed());
        s.addProperty("lr", options.lr());
        s.addProperty("warmup", options.warmup());
        s.addProperty("weight_decay", options.weightDecay());
        s.addProperty("clip", options.clipNorm());
        s.addProperty("aux_weight", options.auxWeight());
        Path tmp = trainingDir.resolve("state.json.tmp");
        DemoModelSpec.writeJson(tmp, s);
        Files.move(tmp, trainingDir.resolve("state.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static JsonObject readState(Path dir) throws IOException {
        return JsonParser.parseString(Files.readString(dir.resolve("state.json"), StandardCharsets.UTF_8))
                .getAsJsonObject();
    }

    /** The saved plan wins on resume (the data order and schedule depend on it); --steps/--stop-after may move. */
    private static TrainerOptions planOf(JsonObject s, TrainerOptions r) {
        return new TrainerOptions(r.out(), r.spec(), TrainerOptions.Stage.parse(s.get("stage").getAsString()),
                r.steps(), r.stopAfter(), s.get("batch").getAsInt(), s.get("seed").getAsLong(),
                s.get("lr").getAsFloat(), s.get("warmup").getAsInt(), s.get("weight_decay").getAsFloat(),
                s.get("clip").getAsFloat(), s.get("aux_weight").getAsFloat(), r.checkpointEvery(), r.logEvery(),
                true, null);
    }

    private static void copyWeights(Path fromTraining, Path to) throws IOException {
        Path src = fromTraining.resolve("model.safetensors");
        if (!Files.isRegularFile(src)) {
            throw new IOException(fromTraining + ": no model.safetensors to initialise from");
        }
        Path tmp = to.resolve("model.safetensors.tmp");
        Files.copy(src, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, to.resolve("model.safetensors"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static float[] floats(DemoNetwork.Losses l, NDArray total) {
        return new float[] {total.getFloat(), l.answer() == null ? Float.NaN : l.answer().getFloat(),
            l.cellKind().getFloat(), l.cellColor().getFloat(), l.shapeList().getFloat()};
    }

    private static String duration(long seconds) {
        return String.format(Locale.ROOT, "%dh%02dm%02ds", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }

    @Override
    public void close() {
        manager.close();
    }
}
