package dev.eveflink.model.bench;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * The engine benchmark (not a test). Two measurements, each side by side in one run:
 *
 * <ul>
 *   <li>{@code batching}: images/s and tokens/s of the continuous-batching engine at maxBatchSize 1, 4,
 *       16 and 32, all requests queued at once. On {@code bench-s} (random LLaMA 512 x 8 layers,
 *       32-token answers about 448x336 images) or on the shipped demo model {@code demo}
 *       (model/demo/eve-shapes, captions of shapes-world images, up to 32 new tokens).
 *   <li>{@code continuous}: continuous batching (max batch 16) against static batches of 16 on
 *       bench-s, mixed output lengths (4 to 64 new tokens).
 * </ul>
 *
 * <pre>
 * mvn -q -pl model test-compile exec:java -DskipTests -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.eveflink.model.bench.EngineBenchmark \
 *     [-Dexec.args="--measure batching --model demo --json target/bench-report/parts/batching-demo.json"]
 * </pre>
 *
 * Options: {@code --measure batching|continuous|all} (default all), {@code --model bench-s|demo}
 * (batching only; default bench-s), {@code --requests N} (default 32 on bench-s, 128 on demo),
 * {@code --batches 1,4,16,32}, {@code --max-batch N} (continuous: the engine's max batch and the static
 * group size, default 16), {@code --reps N} (continuous: runs of each schedule, in alternating order,
 * compared by their medians; default 1), {@code --json FILE} (write the measurement as a report part; one
 * measurement per file; a relative path is resolved against the repository root).
 */
public final class EngineBenchmark {
    private EngineBenchmark() {}

    /** The parsed command line. */
    record Options(String measure, String model, int requests, int[] batches, int slots, int reps, Path json) {
        Options {
            if (!measure.equals("batching") && !measure.equals("continuous") && !measure.equals("all")) {
                throw new IllegalArgumentException("--measure must be batching, continuous or all, got " + measure);
            }
            if (!model.equals("bench-s") && !model.equals("demo")) {
                throw new IllegalArgumentException("--model must be bench-s or demo, got " + model);
            }
            if (requests < 1 || slots < 1 || reps < 1 || batches.length == 0
                    || Arrays.stream(batches).anyMatch(b -> b < 1)) {
                throw new IllegalArgumentException("--requests, --batches, --max-batch and --reps must be positive");
            }
            if (json != null && measure.equals("all")) {
                throw new IllegalArgumentException("--json writes one measurement: add --measure batching|continuous");
            }
            if (measure.equals("continuous") && !model.equals("bench-s")) {
                throw new IllegalArgumentException("continuous vs static runs on bench-s only");
            }
        }

        static Options parse(String[] args) {
            String measure = "all";
            String model = "bench-s";
            Integer requests = null;
            int[] batches = {1, 4, 16, 32};
            int slots = 16;
            int reps = 1;
            Path json = null;
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + args[i] + " needs a value");
                }
                String v = args[i + 1];
                switch (args[i]) {
                    case "--measure" -> measure = v;
                    case "--model" -> model = v;
                    case "--requests" -> requests = Integer.parseInt(v);
                    case "--batches" -> batches = Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
                    case "--max-batch" -> slots = Integer.parseInt(v);
                    case "--reps" -> reps = Integer.parseInt(v);
                    case "--json" -> json = Path.of(v);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + " (--measure, --model, --requests, --batches, --max-batch, --reps, --json)");
                }
            }
            return new Options(measure, model, requests != null ? requests : model.equals("demo") ? 128 : 32,
                    batches, slots, reps, json);
        }
    }

    public static void main(String[] args) throws Exception {
        Path repo = ForwardBenchmark.repositoryRoot();
        DjlDefaults.apply(repo);
        Options options = Options.parse(args);
        // DJL classes load only from here on.
        EngineBenchmarkRun.run(repo, options, String.join(" ", args));
    }
}
