package dev.eveflink.model.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * The moderation benchmark (not a test): images/s when every image is checked against 1, 4 and 8
 * yes/no policies, scored the shared way (one request per image, its prefix prefilled once) and the
 * naive way (one full-prompt request per policy), on the same engine options and the same demo-world
 * images; and the cost of 8 policies relative to 1 for both.
 *
 * <pre>
 * mvn -o -q -pl model test-compile exec:java -DskipTests -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.eveflink.model.bench.ModerationBenchmark \
 *     [-Dexec.args="--models demo --images 48 --json target/moderation-demo.json"]
 * </pre>
 *
 * <p>Each model loads once; every configuration runs after an untimed warm-up pass, {@code --reps}
 * times (default 2), the fastest counting. About a minute for {@code --models demo --images 48} and
 * for {@code --models bench-s --images 4} on the 2-core development machine:
 *
 * <pre>
 * ... -Dexec.args="--models bench-s --images 4 --json target/moderation-bench-s.json"
 * </pre>
 */
public final class ModerationBenchmark {
    private ModerationBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path repo = ForwardBenchmark.repositoryRoot();
        DjlDefaults.apply(repo);
        List<String> models = List.of("demo", "bench-s");
        int images = 16;
        int maxBatch = 16;
        int reps = 2;
        Path json = null;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + args[i] + " needs a value");
            }
            String value = args[i + 1];
            switch (args[i]) {
                case "--models" -> models = List.of(value.split(","));
                case "--images" -> images = Integer.parseInt(value);
                case "--max-batch" -> maxBatch = Integer.parseInt(value);
                case "--reps" -> reps = Integer.parseInt(value);
                case "--json" -> json = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--models demo,bench-s, --images N, --max-batch N, --reps N, --json FILE)");
            }
        }
        // DJL classes load only from here on.
        if (images < 1 || maxBatch < 1 || reps < 1) {
            throw new IllegalArgumentException("--images, --max-batch and --reps must be positive");
        }
        ModerationBenchmarkRun.run(repo, models, images, maxBatch, reps, json, String.join(" ", args));
    }

}
