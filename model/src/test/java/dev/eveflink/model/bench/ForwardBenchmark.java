package dev.eveflink.model.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Forward-pass benchmark (not a test): prefill ms/token and decode ms/step of the golden eve-tiny
 * model and of a random {@code bench-s} model (LLaMA 512 x 8 layers, PEL width 256, patch 14), at
 * batch 1, 8 and 32, side by side in one run, printed as a markdown table with the decode
 * throughput ratio batch 32 / batch 1.
 *
 * <p>Run from the repository root:
 *
 * <pre>
 * mvn -o -q -pl model test-compile exec:java -DskipTests -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.eveflink.model.bench.ForwardBenchmark [-Dexec.args="--reps 5 --steps 32"]
 * </pre>
 *
 * ({@code -DskipTests} keeps the module's tokenizer-fetch {@code exec} execution from receiving
 * {@code exec.args}.) The bench-s checkpoint is generated once into {@code <repo>/target/bench-s}.
 * Options: {@code --batches 1,8,32}, {@code --reps N} (timed prefills after one warm-up, default 3),
 * {@code --steps N} (timed decode steps after 4 warm-up steps, default 24), {@code --text N} (text
 * tokens per prompt, default 40), {@code --models golden,bench-s}. Every figure is a median.
 *
 * <p>DJL is configured here, before any DJL class loads: offline, engine cache in
 * {@code <repo>/target/djl-cache}, one intra-op and one inter-op thread (each {@code -D} given on
 * the command line wins).
 */
public final class ForwardBenchmark {
    private ForwardBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path repo = repositoryRoot();
        DjlDefaults.apply(repo);
        // Only now may DJL classes load: BenchmarkRun is the first class that touches them.
        BenchmarkRun.run(repo, BenchmarkOptions.parse(args));
    }


    /** The directory holding {@code model/src/test/golden}: the working directory or one above it. */
    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("model").resolve("src").resolve("test").resolve("golden"))) {
                return p;
            }
        }
        throw new IllegalStateException("run from the eve-flink repository (no model/src/test/golden above " + dir + ")");
    }
}
