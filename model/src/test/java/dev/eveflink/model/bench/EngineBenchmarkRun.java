package dev.eveflink.model.bench;

import ai.djl.Device;
import dev.eveflink.model.EveModel;
import dev.eveflink.model.Prompt;
import dev.eveflink.model.config.EveConfig;
import dev.eveflink.model.config.PreprocessorConfig;
import dev.eveflink.model.engine.CloseableInferenceService;
import dev.eveflink.model.engine.EngineOptions;
import dev.eveflink.model.engine.EveEngines;
import dev.eveflink.model.engine.InferenceOutcome;
import dev.eveflink.model.engine.InferenceRequest;
import dev.eveflink.model.engine.OutcomeStatus;
import dev.eveflink.model.engine.Task;
import dev.eveflink.model.generate.Generation;
import dev.eveflink.model.generate.GenerationRequest;
import dev.eveflink.model.generate.Generator;
import dev.eveflink.model.generate.SamplingParams;
import dev.eveflink.model.image.ImageLimits;
import dev.eveflink.model.image.ImagePipeline;
import dev.eveflink.model.image.PreprocessedImage;
import dev.eveflink.model.testutil.RandomCheckpoint;
import dev.eveflink.model.tokenizer.ChatTemplate;
import dev.eveflink.model.tokenizer.Tokenizer;
import dev.eveflink.model.tokenizer.Tokenizers;
import dev.eveflink.model.vision.VisualInput;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import javax.imageio.ImageIO;

/** The measurements of {@link EngineBenchmark}. */
final class EngineBenchmarkRun {
    private static final String QUESTION = "Describe the image in one sentence.";

    private EngineBenchmarkRun() {}

    /** One measured configuration. */
    private record Measured(String label, int requests, long tokens, double seconds) {
        double imagesPerSecond() {
            return requests / seconds;
        }

        double tokensPerSecond() {
            return tokens / seconds;
        }
    }

    static void run(Path repo, int requests) throws Exception {
        Path dir = repo.resolve("target/bench-s");
        if (!Files.exists(dir.resolve("model.safetensors"))) {
            RandomCheckpoint.write(dir, RandomCheckpoint.BENCH_S, 1, repo.resolve("model/src/test/golden/eve-tiny"));
        }
        List<byte[]> images = images(requests, 448, 336);
        System.out.printf("bench-s engine benchmark: %d requests of a 448x336 image, fp32 CPU, 1 intra-op thread%n",
                requests);
        List<Measured> batching = new ArrayList<>();
        for (int maxBatch : new int[] {1, 4, 16, 32}) {
            batching.add(continuous(dir, images, fixedLengths(requests, 32), maxBatch, "max batch " + maxBatch));
        }
        System.out.println();
        System.out.println("| engine, 32-token captions | images/s | tokens/s | vs max batch 1 |");
        System.out.println("|---|---:|---:|---:|");
        for (Measured m : batching) {
            System.out.printf("| %s | %.2f | %.1f | %.2fx |%n", m.label(), m.imagesPerSecond(), m.tokensPerSecond(),
                    m.imagesPerSecond() / batching.get(0).imagesPerSecond());
        }

        int[] mixed = mixedLengths(requests, 4, 64, 7);
        Measured continuous = continuous(dir, images, mixed, 16, "continuous, max batch 16");
        Measured statik = staticBatches(dir, images, mixed, 16, "static, batches of 16");
        System.out.println();
        System.out.println("| mixed output lengths (4..64 new tokens) | images/s | tokens/s |");
        System.out.println("|---|---:|---:|");
        for (Measured m : List.of(continuous, statik)) {
            System.out.printf("| %s | %.2f | %.1f |%n", m.label(), m.imagesPerSecond(), m.tokensPerSecond());
        }
        System.out.printf("%ncontinuous / static (tokens/s): %.2fx%n",
                continuous.tokensPerSecond() / statik.tokensPerSecond());
        System.out.printf("images/s at max batch 16 / max batch 1: %.2fx%n",
                batching.get(2).imagesPerSecond() / batching.get(0).imagesPerSecond());
    }

    /** All requests submitted at once to the engine (a deep queue), timed to the last answer. */
    private static Measured continuous(Path dir, List<byte[]> images, int[] lengths, int maxBatch, String label)
            throws Exception {
        EngineOptions options = EngineOptions.builder().setMaxBatchSize(maxBatch).setMaxWait(Duration.ofMillis(2))
                .build();
        try (CloseableInferenceService engine = EveEngines.start(dir, Device.cpu(), options, 1024)) {
            warmUp(engine, images.get(0));
            long start = System.nanoTime();
            List<CompletableFuture<InferenceOutcome>> futures = new ArrayList<>();
            for (int i = 0; i < images.size(); i++) {
                futures.add(engine.submit(new InferenceRequest("r" + i, Task.GENERATE, images.get(i), QUESTION,
                        SamplingParams.greedy(lengths[i]), 5, null)));
            }
            long tokens = 0;
            for (CompletableFuture<InferenceOutcome> f : futures) {
                InferenceOutcome o = f.join();
                if (o.status() != OutcomeStatus.OK) {
                    throw new IllegalStateException("request failed: " + o);
                }
                tokens += o.generatedTokens();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Measured(label, images.size(), tokens, seconds);
        }
    }

    private static void warmUp(CloseableInferenceService engine, byte[] image) {
        engine.submit(new InferenceRequest("warm", Task.GENERATE, image, QUESTION, SamplingParams.greedy(4), 5, null))
                .join();
    }

    /**
     * The batching a user writes first: groups of {@code size} requests, each group prefilled together
     * and decoded until its longest member ends. Images are preprocessed and tokenised inside the timing,
     * as the engine does.
     */
    private static Measured staticBatches(Path dir, List<byte[]> images, int[] lengths, int size, String label)
            throws Exception {
        EveConfig config = EveConfig.read(dir);
        ImagePipeline pipeline = new ImagePipeline(PreprocessorConfig.read(dir, config), ImageLimits.defaults());
        try (EveModel model = EveModel.load(dir, Device.cpu());
                Tokenizer tokenizer = Tokenizers.load(dir)) {
            Generator generator = new Generator(model, tokenizer);
            String text = ChatTemplate.VICUNA_V1.prompt(QUESTION, true);
            int[] ids = ChatTemplate.tokenizeWithImage(tokenizer, text);
            generator.generate(new GenerationRequest(prompt(pipeline, images.get(0), ids), SamplingParams.greedy(4)));
            long start = System.nanoTime();
            long tokens = 0;
            for (int from = 0; from < images.size(); from += size) {
                List<GenerationRequest> group = new ArrayList<>();
                for (int i = from; i < Math.min(from + size, images.size()); i++) {
                    group.add(new GenerationRequest(prompt(pipeline, images.get(i), ids),
                            SamplingParams.greedy(lengths[i])));
                }
                for (Generation g : generator.generate(group)) {
                    tokens += g.tokens().length;
                }
            }
            return new Measured(label, images.size(), tokens, (System.nanoTime() - start) / 1e9);
        }
    }

    private static Prompt prompt(ImagePipeline pipeline, byte[] image, int[] ids) throws Exception {
        PreprocessedImage p = pipeline.process(image);
        return new Prompt(ids, new VisualInput(p.pixels(), p.height(), p.width()));
    }

    private static int[] fixedLengths(int n, int length) {
        int[] out = new int[n];
        java.util.Arrays.fill(out, length);
        return out;
    }

    private static int[] mixedLengths(int n, int min, int max, long seed) {
        Random random = new Random(seed);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = min + random.nextInt(max - min + 1);
        }
        return out;
    }

    private static List<byte[]> images(int n, int width, int height) throws Exception {
        Random random = new Random(3);
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    img.setRGB(x, y, random.nextInt(0x1000000));
                }
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageIO.write(img, "png", bytes);
            out.add(bytes.toByteArray());
        }
        return out;
    }
}
