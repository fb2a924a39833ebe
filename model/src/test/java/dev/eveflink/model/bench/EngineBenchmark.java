package dev.eveflink.model.bench;

import java.nio.file.Path;

/**
 * The engine benchmark (not a test): end-to-end images/s and tokens/s of the continuous-batching
 * engine at maxBatchSize 1, 4, 16 and 32 on bench-s (32-token captions of 448x336 images), and
 * continuous against static batching on a workload of mixed output lengths (4 to 64 new tokens).
 * Every figure of one run is measured side by side on the same machine state.
 *
 * <pre>
 * mvn -o -q -pl model test-compile exec:java -DskipTests -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.eveflink.model.bench.EngineBenchmark [-Dexec.args="--requests 32"]
 * </pre>
 */
public final class EngineBenchmark {
    private EngineBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path repo = ForwardBenchmark.repositoryRoot();
        setDefault("ai.djl.offline", "true");
        setDefault("ai.djl.default_engine", "PyTorch");
        setDefault("ENGINE_CACHE_DIR", repo.resolve("target").resolve("djl-cache").toString());
        setDefault("ai.djl.pytorch.num_threads", "1");
        setDefault("ai.djl.pytorch.num_interop_threads", "1");
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        int requests = 32;
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (args[i].equals("--requests")) {
                requests = Integer.parseInt(args[i + 1]);
            } else {
                throw new IllegalArgumentException("unknown option " + args[i] + " (--requests N)");
            }
        }
        // DJL classes load only from here on.
        EngineBenchmarkRun.run(repo, requests);
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
