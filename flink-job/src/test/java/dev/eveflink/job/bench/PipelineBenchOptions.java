package dev.eveflink.job.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of one {@link PipelineBenchmark} run.
 *
 * @param json where the throughput part goes; the latency part is written next to it as
 *     {@code <name>-latency.json}
 * @param modelDir the model (default: the shipped demo model)
 * @param seed seeds the images and the Poisson schedules
 * @param quick a ~2-minute smoke run instead of the ~6-minute full run
 * @param rawSeconds how long the raw engine is driven
 * @param capacitySeconds the pre-loaded backlog of the pipeline, in seconds of raw engine throughput
 * @param phaseSeconds length of each open-loop load phase
 * @param naiveSeconds the naive pipeline's backlog, in seconds at a quarter of the raw engine's rate
 * @param sequential requests of the one-at-a-time baseline
 */
record PipelineBenchOptions(Path json, Path modelDir, long seed, boolean quick, Duration rawSeconds,
        Duration capacitySeconds, Duration phaseSeconds, Duration naiveSeconds, int sequential) {

    static final String USAGE = "PipelineBenchmark [--json FILE] [--model-dir DIR] [--seed N] [--quick]";

    static PipelineBenchOptions parse(String[] args) {
        Path json = Path.of("target/bench-report/parts/pipeline.json");
        Path modelDir = null;
        long seed = 7;
        boolean quick = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--json" -> json = Path.of(value(args, ++i, "--json"));
                case "--model-dir" -> modelDir = Path.of(value(args, ++i, "--model-dir"));
                case "--seed" -> seed = Long.parseLong(value(args, ++i, "--seed"));
                case "--quick" -> quick = true;
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'; usage: " + USAGE);
            }
        }
        if (!json.getFileName().toString().endsWith(".json")) {
            throw new IllegalArgumentException("--json must name a .json file, got " + json);
        }
        Path model = modelDir != null ? modelDir : defaultModel();
        if (!Files.isRegularFile(model.resolve("config.json"))) {
            throw new IllegalArgumentException("--model-dir " + model + " holds no config.json");
        }
        return quick
                ? new PipelineBenchOptions(json, model.toAbsolutePath(), seed, true, Duration.ofSeconds(6),
                        Duration.ofSeconds(8), Duration.ofSeconds(6), Duration.ofSeconds(6), 12)
                : new PipelineBenchOptions(json, model.toAbsolutePath(), seed, false, Duration.ofSeconds(20),
                        Duration.ofSeconds(25), Duration.ofSeconds(30), Duration.ofSeconds(25), 30);
    }

    /** The shipped demo model, from the repository root or from a module directory. */
    private static Path defaultModel() {
        Path fromRoot = Path.of("model", "demo", "eve-shapes");
        return Files.isDirectory(fromRoot) ? fromRoot : Path.of("..").resolve(fromRoot);
    }

    private static String value(String[] args, int i, String name) {
        if (i >= args.length) {
            throw new IllegalArgumentException(name + " needs a value; usage: " + USAGE);
        }
        return args[i];
    }

    /** The latency part's file, next to the throughput part. */
    Path latencyJson() {
        String name = json.getFileName().toString();
        return json.resolveSibling(name.substring(0, name.length() - ".json".length()) + "-latency.json");
    }
}
