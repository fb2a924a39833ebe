package dev.eveflink.model.bench;

import ai.djl.Device;
import dev.eveflink.model.EveModel;
import dev.eveflink.model.Prompt;
import dev.eveflink.model.bench.report.Part;
import dev.eveflink.model.bench.report.PartJson;
import dev.eveflink.model.config.EveConfig;
import dev.eveflink.model.config.PreprocessorConfig;
import dev.eveflink.model.demo.train.DemoVocabulary;
import dev.eveflink.model.demo.world.World;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import javax.imageio.ImageIO;

/** The measurements of {@link EngineBenchmark}. */
final class EngineBenchmarkRun {
    private static final String BENCH_S_QUESTION = "Describe the image in one sentence.";
    /** The maxBatch whose gain over max batch 1 is the headline figure. */
    private static final int HEADLINE_BATCH = 16;
    private static final long DEMO_SEED = 1_000_003L;
    private static final int DEMO_MAX_NEW_TOKENS = 32;

    private EngineBenchmarkRun() {}

    /**
     * One measured configuration.
     *
     * @param completedAt seconds from the start at which each answer arrived, ascending
     */
    private record Measured(String label, int maxBatch, int requests, long tokens, double seconds,
            double[] completedAt) {
        double imagesPerSecond() {
            return requests / seconds;
        }

        double tokensPerSecond() {
            return tokens / seconds;
        }
    }

    /** A model and the requests sent to it. */
    private record Workload(String model, Path dir, List<InferenceRequest> requests, String description) {}

    static void run(Path repo, EngineBenchmark.Options options, String argLine) throws Exception {
        String command = RerunCommand.execJava(EngineBenchmark.class, argLine);
        java.util.Set<Path> written = new java.util.HashSet<>(); // the part files of this run
        if (!options.measure().equals("continuous")) {
            Workload workload = options.model().equals("demo") ? demo(repo, options.requests())
                    : benchS(repo, options.requests(), fixedLengths(options.requests(), 32));
            write(batching(workload, options.batches(), command), options, repo, written);
        }
        if (!options.measure().equals("batching")) {
            for (MixedWorkload mix : MixedWorkload.values()) {
                int[] mixed = mixedLengths(options.requests(), mix.minTokens, mix.maxTokens, 7);
                write(continuousVsStatic(benchS(repo, options.requests(), mixed, mix.width, mix.height), mixed, mix,
                        options.slots(), options.reps(), command), options, repo, written);
            }
        }
    }

    private static void write(Part part, EngineBenchmark.Options options, Path repo, java.util.Set<Path> written)
            throws Exception {
        System.out.println(PartText.markdown(part));
        if (options.json() != null) {
            // --json names the part file; a run that writes more than one part (measure all, or the second
            // continuous workload) puts each other part beside it, named after the part as bench.sh expects
            Path given = repo.resolve(options.json());
            boolean named = given.getFileName().toString().equals(part.name() + ".json");
            Path file = named || !written.contains(given) ? given : given.resolveSibling(part.name() + ".json");
            written.add(file);
            PartJson.write(part, file);
            System.out.println("part written: " + file);
        }
    }

    private static Part batching(Workload workload, int[] batches, String command) throws Exception {
        System.out.printf("%s: %s%n", workload.model(), workload.description());
        List<Measured> measured = new ArrayList<>();
        for (int maxBatch : batches) {
            Measured m = engine(workload, maxBatch, "max batch " + maxBatch);
            System.out.printf("  max batch %d: %.2f images/s, %.1f tokens/s%n", maxBatch, m.imagesPerSecond(),
                    m.tokensPerSecond());
            measured.add(m);
        }
        double base = measured.get(0).imagesPerSecond();
        List<List<Object>> rows = new ArrayList<>();
        List<double[]> points = new ArrayList<>();
        for (Measured m : measured) {
            rows.add(List.of(m.maxBatch(), round(m.imagesPerSecond(), 2), round(m.tokensPerSecond(), 1),
                    String.format(Locale.ROOT, "%.2fx", m.imagesPerSecond() / base)));
            points.add(new double[] {m.maxBatch(), m.imagesPerSecond()});
        }
        Measured headline = measured.stream().filter(m -> m.maxBatch() == HEADLINE_BATCH).findFirst()
                .orElse(measured.get(measured.size() - 1));
        String key = "batching_gain_" + workload.model().replace('-', '_');
        Map<String, Double> summary = Map.of(key, round(headline.imagesPerSecond() / base, 3));
        Part.Plot plot = new Part.Plot("throughput-" + workload.model() + ".png",
                "Engine throughput vs max batch size (" + workload.model() + ")", "max batch size", "images/s", true,
                List.of(new Part.Series("images/s", points)));
        return Part.of("batching-" + workload.model(), "Engine batching gain: " + workload.model(), command,
                new Part.Table(List.of("max batch", "images/s", "tokens/s", "vs max batch " + measured.get(0)
                        .maxBatch()), rows), summary, List.of(plot),
                List.of(workload.description(),
                        "All requests queued at once (a deep queue), timed from the first submission to the last"
                                + " answer, after one warm-up request; fp32 CPU, one intra-op thread.",
                        "`" + key + "` = images/s at max batch " + headline.maxBatch() + " / max batch "
                                + measured.get(0).maxBatch() + "."));
    }

    /**
     * The mixed-length workloads continuous batching is compared on. Where the answers' decode steps
     * dominate (short prompts, long mixed answers: chat-like captions) a static batch idles on its
     * longest member; where the image's prefill dominates, both schedules pay the same prefills and
     * the gain shrinks. The first is the headline, the second shows the other end.
     */
    enum MixedWorkload {
        DECODE_HEAVY("continuous", "continuous_vs_static", 224, 168, 8, 128),
        PREFILL_HEAVY("continuous-prefill-heavy", "continuous_vs_static_prefill_heavy", 448, 336, 4, 64);

        final String part;
        final String key;
        final int width;
        final int height;
        final int minTokens;
        final int maxTokens;

        MixedWorkload(String part, String key, int width, int height, int minTokens, int maxTokens) {
            this.part = part;
            this.key = key;
            this.width = width;
            this.height = height;
            this.minTokens = minTokens;
            this.maxTokens = maxTokens;
        }

        String label() {
            return width + "x" + height + " images, " + minTokens + ".." + maxTokens + " new tokens";
        }
    }

    private static Part continuousVsStatic(Workload workload, int[] lengths, MixedWorkload mix, int slots, int reps,
            String command) throws Exception {
        System.out.printf("continuous vs static: %s%n", workload.description());
        List<Measured> continuousRuns = new ArrayList<>();
        List<Measured> staticRuns = new ArrayList<>();
        for (int rep = 0; rep < reps; rep++) {
            // alternate the order (A B, B A, ...) so that a drift in the machine's load hits both alike
            String suffix = reps == 1 ? "" : " (run " + (rep + 1) + ")";
            if (rep % 2 == 0) {
                continuousRuns.add(engine(workload, slots, "continuous, max batch " + slots + suffix));
                staticRuns.add(staticBatches(workload, lengths, slots, "static, batches of " + slots + suffix));
            } else {
                staticRuns.add(staticBatches(workload, lengths, slots, "static, batches of " + slots + suffix));
                continuousRuns.add(engine(workload, slots, "continuous, max batch " + slots + suffix));
            }
        }
        double ratio = medianTokensPerSecond(continuousRuns) / medianTokensPerSecond(staticRuns);
        List<List<Object>> rows = new ArrayList<>();
        for (int rep = 0; rep < reps; rep++) {
            for (Measured m : List.of(continuousRuns.get(rep), staticRuns.get(rep))) {
                rows.add(List.of(m.label(), m.requests(), m.tokens(), round(m.seconds(), 2),
                        round(m.imagesPerSecond(), 2), round(m.tokensPerSecond(), 1)));
            }
        }
        List<Part.Series> series = new ArrayList<>();
        for (Measured m : List.of(continuousRuns.get(0), staticRuns.get(0))) {
            List<double[]> points = new ArrayList<>();
            points.add(new double[] {0, 0});
            for (int i = 0; i < m.completedAt().length; i++) {
                points.add(new double[] {m.completedAt()[i], i + 1});
            }
            series.add(new Part.Series(m.label(), points));
        }
        return Part.of(mix.part, "Continuous vs static batching (bench-s, " + mix.label() + ")", command,
                new Part.Table(List.of("schedule", "requests", "new tokens", "seconds", "images/s", "tokens/s"), rows),
                Map.of(mix.key, round(ratio, 3)),
                List.of(new Part.Plot(mix.part + ".png", "Answers completed over time (bench-s, " + mix.label()
                        + ")", "seconds", "answers completed", false, series)),
                List.of(workload.description() + "; output lengths drawn uniformly from " + mix.minTokens + ".."
                                + mix.maxTokens + " new tokens (seed 7).",
                        "Static: groups of " + slots + " prefilled together and decoded until the longest member"
                                + " ends (what a user writes first); continuous: the engine admits a waiting request"
                                + " into any"
                                + " slot that frees. Image preprocessing and tokenisation are timed in both.",
                        String.format(Locale.ROOT, "`%s` = tokens/s continuous / static = %.2fx"
                                + " (goal >= 1.5x)%s.", mix.key, ratio, reps == 1 ? ""
                                        : ", medians of " + reps + " runs each, in alternating order")));
    }

    private static double medianTokensPerSecond(List<Measured> runs) {
        double[] values = runs.stream().mapToDouble(Measured::tokensPerSecond).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    /** All requests submitted at once to a fresh engine (a deep queue), timed to the last answer. */
    private static Measured engine(Workload workload, int maxBatch, String label) throws Exception {
        EngineOptions options = EngineOptions.builder().setMaxBatchSize(maxBatch).setMaxWait(Duration.ofMillis(2))
                .build();
        List<InferenceRequest> requests = workload.requests();
        try (CloseableInferenceService engine = EveEngines.start(workload.dir(), Device.cpu(), options, 1024)) {
            InferenceRequest first = requests.get(0);
            engine.submit(new InferenceRequest("warm", first.task(), first.image(), first.question(),
                    SamplingParams.greedy(4), InferenceRequest.DEFAULT_PRIORITY, null)).join();
            double[] completedAt = new double[requests.size()];
            long start = System.nanoTime();
            List<CompletableFuture<InferenceOutcome>> futures = new ArrayList<>();
            for (int i = 0; i < requests.size(); i++) {
                int index = i;
                futures.add(engine.submit(requests.get(i))
                        .whenComplete((o, e) -> completedAt[index] = (System.nanoTime() - start) / 1e9));
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
            Arrays.sort(completedAt);
            return new Measured(label, maxBatch, requests.size(), tokens, seconds, completedAt);
        }
    }

    /**
     * The batching a user writes first: groups of {@code size} requests, each group prefilled together
     * and decoded until its longest member ends. Images are preprocessed and tokenised inside the timing,
     * as the engine does.
     */
    private static Measured staticBatches(Workload workload, int[] lengths, int size, String label) throws Exception {
        Path dir = workload.dir();
        EveConfig config = EveConfig.read(dir);
        ImagePipeline pipeline = new ImagePipeline(PreprocessorConfig.read(dir, config), ImageLimits.defaults());
        List<InferenceRequest> requests = workload.requests();
        try (EveModel model = EveModel.load(dir, Device.cpu());
                Tokenizer tokenizer = Tokenizers.load(dir)) {
            Generator generator = new Generator(model, tokenizer);
            String text = ChatTemplate.VICUNA_V1.prompt(BENCH_S_QUESTION, true);
            int[] ids = ChatTemplate.tokenizeWithImage(tokenizer, text);
            generator.generate(new GenerationRequest(prompt(pipeline, requests.get(0).image(), ids),
                    SamplingParams.greedy(4)));
            double[] completedAt = new double[requests.size()];
            long start = System.nanoTime();
            long tokens = 0;
            for (int from = 0; from < requests.size(); from += size) {
                List<GenerationRequest> group = new ArrayList<>();
                int to = Math.min(from + size, requests.size());
                for (int i = from; i < to; i++) {
                    group.add(new GenerationRequest(prompt(pipeline, requests.get(i).image(), ids),
                            SamplingParams.greedy(lengths[i])));
                }
                for (Generation g : generator.generate(group)) {
                    tokens += g.tokens().length;
                }
                Arrays.fill(completedAt, from, to, (System.nanoTime() - start) / 1e9);
            }
            return new Measured(label, size, requests.size(), tokens, (System.nanoTime() - start) / 1e9,
                    completedAt);
        }
    }

    private static Prompt prompt(ImagePipeline pipeline, byte[] image, int[] ids) throws Exception {
        PreprocessedImage p = pipeline.process(image);
        return new Prompt(ids, new VisualInput(p.pixels(), p.height(), p.width()));
    }

    /** bench-s (generated once into target/bench-s), random 448x336 images, the given answer lengths. */
    private static Workload benchS(Path repo, int n, int[] lengths) throws Exception {
        return benchS(repo, n, lengths, 448, 336);
    }

    /** bench-s with random images of the given size. */
    private static Workload benchS(Path repo, int n, int[] lengths, int width, int height) throws Exception {
        Path dir = repo.resolve("target/bench-s");
        if (!Files.exists(dir.resolve("model.safetensors"))) {
            RandomCheckpoint.write(dir, RandomCheckpoint.BENCH_S, 1, repo.resolve("model/src/test/golden/eve-tiny"));
        }
        Random random = new Random(3);
        List<InferenceRequest> requests = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            requests.add(new InferenceRequest("r" + i, Task.GENERATE, randomPng(random, width, height), BENCH_S_QUESTION,
                    SamplingParams.greedy(lengths[i]), InferenceRequest.DEFAULT_PRIORITY, null));
        }
        return new Workload("bench-s", dir, requests, String.format(Locale.ROOT, "bench-s (random LLaMA 512 x 8"
                + " layers, PEL 256, patch 14): %d requests, a random %dx%d PNG each", n, width, height));
    }

    /** The shipped demo model, captions of shapes-world images (held-out seed), greedy, up to 32 tokens. */
    private static Workload demo(Path repo, int n) {
        Path dir = repo.resolve("model/demo/eve-shapes");
        List<InferenceRequest> requests = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            requests.add(new InferenceRequest("d" + i, Task.GENERATE, World.sample(DEMO_SEED, i).image(),
                    DemoVocabulary.CAPTION_QUESTION, SamplingParams.greedy(DEMO_MAX_NEW_TOKENS),
                    InferenceRequest.DEFAULT_PRIORITY, null));
        }
        return new Workload("demo", dir, requests, String.format(Locale.ROOT, "demo model model/demo/eve-shapes"
                + " (1.2M parameters): %d captions of shapes-world images (seed %d, 64..256 px), greedy, up to %d"
                + " new tokens", n, DEMO_SEED, DEMO_MAX_NEW_TOKENS));
    }

    private static int[] fixedLengths(int n, int length) {
        int[] out = new int[n];
        Arrays.fill(out, length);
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

    private static byte[] randomPng(Random random, int width, int height) throws Exception {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(img, "png", bytes);
        return bytes.toByteArray();
    }

    static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.rint(value * scale) / scale;
    }
}
