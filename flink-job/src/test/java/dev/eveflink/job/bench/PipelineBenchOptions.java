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
 * @param warmup how long the raw engine runs first, unmeasured: libtorch's per-shape kernel caches fill
 *     (the first hundreds of events in a JVM run several times slower)
 * @param burst length of one throughput measurement (a closed-loop run, or a backlog of about that
 *     many seconds of the pipeline's rate)
 * @param rounds throughput rounds; each measures all four runs back to back, and the ratios are
 *     medians of the per-round ratios (the shared machine's load drifts)
 * @param phase length of each open-loop load phase
 * @param sequential requests of the one-at-a-time baseline
 * @param delivery the jobs' --delivery: exactly-once (default, as shipped) or at-least-once
 */
record PipelineBenchOptions(Path json, Path modelDir, long seed, boolean quick, Duration warmup, Duration burst,
        int rounds, Duration phase, int sequential, String delivery) {

    static final String USAGE = "PipelineBenchmark [--json FILE] [--model-dir DIR] [--seed N] [--quick]"
            + " [--delivery exactly-once|at-least-once]";

    static PipelineBenchOptions parse(String[] args) {
        Path json = Path.of("target/bench-report/parts/pipeline.json");
        Path modelDir = null;
        long seed = 7;
        boolean quick = false;
        String delivery = "exactly-once";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--json" -> json = Path.of(value(args, ++i, "--json"));
                case "--model-dir" -> modelDir = Path.of(value(args, ++i, "--model-dir"));
                case "--seed" -> seed = Long.parseLong(value(args, ++i, "--seed"));
                case "--quick" -> quick = true;
                case "--delivery" -> delivery = value(args, ++i, "--delivery");
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'; usage: " + USAGE);
            }
        }
        if (!json.getFileName().toString().endsWith(".json")) {
            throw new IllegalArgumentException("--json must name a .json file, got " + json);
        }
        if (!delivery.equals("exactly-once") && !delivery.equals("at-least-once")) {
            throw new IllegalArgumentException("--delivery must be exactly-once or at-least-once, got " + delivery);
        }
        Path model = modelDir != null ? modelDir : defaultModel();
        if (!Files.isRegularFile(model.resolve("config.json"))) {
            throw new IllegalArgumentException("--model-dir " + model + " holds no config.json");
        }
        return quick
                ? new PipelineBenchOptions(json, model.toAbsolutePath(), seed, true, Duration.ofSeconds(8),
                        Duration.ofSeconds(3), 3, Duration.ofSeconds(6), 15, delivery)
                : new PipelineBenchOptions(json, model.toAbsolutePath(), seed, false, Duration.ofSeconds(20),
                        Duration.ofSeconds(8), 5, Duration.ofSeconds(30), 45, delivery);
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
