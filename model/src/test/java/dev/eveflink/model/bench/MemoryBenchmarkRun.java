package dev.eveflink.model.bench;

import ai.djl.Device;
import dev.eveflink.model.EveModel;
import dev.eveflink.model.bench.report.Part;
import dev.eveflink.model.bench.report.PartJson;
import dev.eveflink.model.config.EveConfig;
import dev.eveflink.model.config.PreprocessorConfig;
import dev.eveflink.model.demo.train.DemoVocabulary;
import dev.eveflink.model.demo.world.DemoPolicy;
import dev.eveflink.model.demo.world.World;
import dev.eveflink.model.engine.Engine;
import dev.eveflink.model.engine.EngineOptions;
import dev.eveflink.model.engine.EngineStats;
import dev.eveflink.model.engine.EveSlotModel;
import dev.eveflink.model.engine.InferenceOutcome;
import dev.eveflink.model.engine.InferenceRequest;
import dev.eveflink.model.engine.OutcomeStatus;
import dev.eveflink.model.engine.Task;
import dev.eveflink.model.generate.SamplingParams;
import dev.eveflink.model.tokenizer.Tokenizer;
import dev.eveflink.model.tokenizer.Tokenizers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/** The measurement of {@link MemoryBenchmark}. */
final class MemoryBenchmarkRun {
    private static final long SEED = 1_000_003L;
    private static final int CAPTION_TOKENS = 32;
    /** Requests per shapes-world image: its caption and its two policy questions. */
    private static final int REQUESTS_PER_IMAGE = 3;

    private MemoryBenchmarkRun() {}

    /** One sample, taken with the engine idle. */
    private record Sample(int requests, double seconds, long rssKib, int liveArrays) {
        double rssMib() {
            return rssKib / 1024.0;
        }
    }

    static void run(Path repo, MemoryBenchmark.Options options, String command) throws Exception {
        Path dir = repo.resolve("model/demo/eve-shapes");
        EngineOptions engineOptions = EngineOptions.builder().setMaxBatchSize(options.maxBatch())
                .setMaxWait(Duration.ofMillis(2)).build();
        AtomicReference<EveModel> model = new AtomicReference<>();
        List<Sample> samples = new ArrayList<>();
        Sample afterWarmup = null;
        long start = System.nanoTime();
        try (Tokenizer tokenizer = Tokenizers.load(dir)) {
            EveConfig config = EveConfig.read(dir);
            int positions = Math.min(1024, config.maxPositions());
            try (Engine engine = Engine.start(() -> {
                EveModel m = EveModel.load(dir, Device.cpu());
                model.set(m);
                return new EveSlotModel(m, options.maxBatch(), positions, true);
            }, tokenizer, PreprocessorConfig.read(dir, config), engineOptions)) {
                samples.add(sample(0, start, model.get()));
                int done = 0;
                while (done < options.requests()) {
                    int end = Math.min(done + options.wave(), options.requests());
                    runWave(engine, done, end, options.mix());
                    awaitIdle(engine);
                    // Every sample follows a full collection: DJL hands tensors to PyTorch through direct
                    // buffers that are garbage once copied, freed only when the collector runs; a sample taken
                    // before that would count garbage as growth, and by chance more at one wave than another.
                    System.gc();
                    if (afterWarmup == null && end >= options.warmup()) {
                        afterWarmup = sample(end, start, model.get());
                        samples.add(afterWarmup);
                    } else {
                        samples.add(sample(end, start, model.get()));
                    }
                    Sample s = samples.get(samples.size() - 1);
                    System.out.printf(Locale.ROOT, "%6d requests, %6.1f s: VmRSS %.1f MiB, live NDArrays %d%n",
                            s.requests(), s.seconds(), s.rssMib(), s.liveArrays());
                    done = end;
                }
            }
        }
        Part part = part(samples, afterWarmup, options, command);
        System.out.println(PartText.markdown(part));
        if (options.json() != null) {
            Path file = repo.resolve(options.json());
            PartJson.write(part, file);
            System.out.println("part written: " + file);
        }
    }

    /** Requests {@code from} (inclusive) to {@code to}, all queued at once; fails on any non-OK answer. */
    private static void runWave(Engine engine, int from, int to, String mix) {
        List<CompletableFuture<InferenceOutcome>> futures = new ArrayList<>(to - from);
        byte[] image = null;
        for (int i = from; i < to; i++) {
            if (image == null || i % REQUESTS_PER_IMAGE == 0) {
                image = World.sample(SEED, i / REQUESTS_PER_IMAGE).image();
            }
            futures.add(engine.submit(request(i, image, mix)));
        }
        for (CompletableFuture<InferenceOutcome> f : futures) {
            InferenceOutcome o = f.join();
            if (o.status() != OutcomeStatus.OK) {
                throw new IllegalStateException("request failed: " + o);
            }
        }
    }

    private static InferenceRequest request(int i, byte[] image, String mix) {
        int kind = switch (mix) {
            case "captions" -> 0;
            case "scores" -> 1 + i % 2;
            default -> i % REQUESTS_PER_IMAGE;
        };
        return switch (kind) {
            case 0 -> new InferenceRequest("m" + i, Task.GENERATE, image, DemoVocabulary.CAPTION_QUESTION,
                    SamplingParams.greedy(CAPTION_TOKENS), InferenceRequest.DEFAULT_PRIORITY, null);
            case 1 -> new InferenceRequest("m" + i, Task.SCORE_YES_NO, image, DemoPolicy.PROHIBITED_SYMBOL.question(),
                    SamplingParams.greedy(1), InferenceRequest.DEFAULT_PRIORITY, null);
            default -> new InferenceRequest("m" + i, Task.SCORE_YES_NO, image, DemoPolicy.RED_ALERT.question(),
                    SamplingParams.greedy(1), InferenceRequest.DEFAULT_PRIORITY, null);
        };
    }

    /**
     * Every future of the wave has completed, but the worker may still be finishing the step that
     * completed the last ones: wait until it reports nothing running, queued or preparing.
     */
    private static void awaitIdle(Engine engine) throws InterruptedException {
        for (int polls = 0; polls < 10_000; polls++) {
            EngineStats s = engine.stats();
            if (s.running() == 0 && s.queueDepth() == 0 && s.preparing() == 0) {
                return;
            }
            Thread.sleep(1);
        }
        throw new IllegalStateException("the engine did not go idle after a wave: " + engine.stats());
    }

    private static Sample sample(int requests, long start, EveModel model) throws IOException {
        return new Sample(requests, (System.nanoTime() - start) / 1e9, residentKib(), model.liveArrays());
    }

    private static Part part(List<Sample> samples, Sample afterWarmup, MemoryBenchmark.Options options,
            String command) {
        Sample last = samples.get(samples.size() - 1);
        // RSS between waves swings by a few percent (what the allocator happens to hold), so single samples
        // make a noisy endpoint: growth compares the median of the first third of the samples after the warm-up
        // with the median of the last third; the endpoint figure is reported beside it.
        List<Sample> measured = samples.subList(samples.indexOf(afterWarmup), samples.size());
        int third = Math.max(1, measured.size() / 3);
        double early = medianRssKib(measured.subList(0, third));
        double late = medianRssKib(measured.subList(measured.size() - third, measured.size()));
        double growthPct = 100.0 * (late - early) / early;
        double endpointPct = 100.0 * (last.rssKib() - afterWarmup.rssKib()) / afterWarmup.rssKib();
        double seconds = last.seconds() - samples.get(0).seconds();
        List<List<Object>> rows = new ArrayList<>();
        List<double[]> rss = new ArrayList<>();
        List<double[]> live = new ArrayList<>();
        int every = Math.max(1, samples.size() / 10); // about ten rows; the plots have every sample
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            rss.add(new double[] {s.seconds(), s.rssMib()});
            live.add(new double[] {s.seconds(), s.liveArrays()});
            if (i % every == 0 || s == afterWarmup || s == last) {
                rows.add(List.of(s.requests(), EngineBenchmarkRun.round(s.seconds(), 1),
                        EngineBenchmarkRun.round(s.rssMib(), 1), s.liveArrays(),
                        s == afterWarmup ? "end of warm-up" : s == last ? "end" : i == 0 ? "engine loaded" : ""));
            }
        }
        String suffix = options.suffix();
        Map<String, Double> summary = new java.util.LinkedHashMap<>();
        summary.put("rss_growth_pct" + suffix, EngineBenchmarkRun.round(growthPct, 2));
        summary.put("rss_growth_endpoint_pct" + suffix, EngineBenchmarkRun.round(endpointPct, 2));
        summary.put("live_tensors_start" + suffix, (double) afterWarmup.liveArrays());
        summary.put("live_tensors_end" + suffix, (double) last.liveArrays());
        summary.put("memory_run_requests" + suffix, (double) last.requests());
        String arenas = System.getenv("MALLOC_ARENA_MAX");
        List<String> notes = new ArrayList<>(List.of(String.format(Locale.ROOT, "model/demo/eve-shapes behind the"
                        + " engine (max batch %d): per shapes-world image (seed %d) its caption (greedy, up to %d"
                        + " tokens) and its two policy questions (yes/no scores), queued in waves of %d; %.0f"
                        + " requests/s overall.", options.maxBatch(), SEED, CAPTION_TOKENS, options.wave(),
                        last.requests() / seconds),
                "Each sample is taken between waves, with the engine idle. JVM: " + MemoryBenchmark.JVM_OPTIONS
                        + " (a fixed, pre-touched heap: what RSS measures is native memory).",
                arenas == null
                        ? "glibc malloc with its default arenas (MALLOC_ARENA_MAX unset: up to 8 per core; the"
                                + " engine's threads free what others allocated, which fragments them)."
                        : "glibc malloc with MALLOC_ARENA_MAX=" + arenas + " (as the TaskManagers run it, see deploy/).",
                String.format(Locale.ROOT, "`rss_growth_pct" + suffix + "` = growth of the median VmRSS from the"
                                + " first third of the %d samples after the warm-up (%,d requests) to the last third,"
                                + " each sample after a full collection: %.1f -> %.1f MiB = %+.2f%% (goal < 5%%);"
                                + " endpoint to endpoint %.1f -> %.1f MiB = %+.2f%%; live NDArrays %d -> %d.",
                        measured.size(), afterWarmup.requests(), early / 1024, late / 1024, growthPct,
                        afterWarmup.rssMib(), last.rssMib(), endpointPct, afterWarmup.liveArrays(),
                        last.liveArrays())));
        int grown = last.liveArrays() - afterWarmup.liveArrays();
        if (grown > 0) {
            notes.add(String.format(Locale.ROOT, "**Live NDArrays grew** by %d over %,d requests after the warm-up"
                    + " (%.2f per request): arrays the engine never closes.", grown,
                    last.requests() - afterWarmup.requests(),
                    (double) grown / (last.requests() - afterWarmup.requests())));
        }
        String name = options.variant().isEmpty() ? "memory" : "memory-" + options.variant();
        return Part.of(name, String.format(Locale.ROOT, "Memory over %,d requests (demo model, engine)%s",
                        options.requests(), options.variant().isEmpty() ? "" : ", " + options.variant()), command,
                new Part.Table(List.of("requests answered", "seconds", "VmRSS MiB", "live NDArrays", "sample"), rows),
                summary,
                List.of(new Part.Plot(name + "-rss.png", "Resident memory over the run", "seconds", "VmRSS (MiB)",
                                false, List.of(new Part.Series("VmRSS", rss))),
                        new Part.Plot(name + "-live-arrays.png", "Live NDArrays over the run", "seconds",
                                "live NDArrays", false, List.of(new Part.Series("model's live NDArrays", live)))),
                notes);
    }

    private static double medianRssKib(List<Sample> samples) {
        double[] values = samples.stream().mapToDouble(Sample::rssKib).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    /** VmRSS of this process, from /proc/self/status (Linux). */
    static long residentKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS line in /proc/self/status");
    }
}
