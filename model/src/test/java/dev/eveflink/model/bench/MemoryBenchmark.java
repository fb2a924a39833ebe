package dev.eveflink.model.bench;

import java.nio.file.Path;

/**
 * The memory benchmark (not a test): the shipped demo model behind the continuous-batching engine
 * answers {@code --requests} requests (default 20,000; per shapes-world image a caption, then the two
 * policy questions scored yes/no) in waves of {@code --wave} (default 500). After each wave, with
 * the engine idle, it samples the process's resident memory (VmRSS from /proc/self/status) and the
 * model's live NDArrays (as NativeMemoryTest counts them). {@code rss_growth_pct} is the growth from
 * the end of the warm-up ({@code --warmup} requests, default 2,000, then one System.gc()) to the end.
 *
 * <p>It runs in a JVM of its own with a fixed, pre-touched heap, the serial collector and C1 only, so
 * that heap growth, the collector's own structures and late C2 compilations do not read as a leak
 * (NativeMemoryTest explains each):
 *
 * <pre>
 * mvn -q -pl model test-compile exec:exec -DskipTests -Dexec.classpathScope=test -Dexec.executable=java \
 *     -Dexec.args="-Xms512m -Xmx512m -XX:+AlwaysPreTouch -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
 *     -cp %classpath dev.eveflink.model.bench.MemoryBenchmark [--requests 20000] [--json FILE]"
 * </pre>
 *
 * Options: {@code --requests N}, {@code --wave N}, {@code --warmup N}, {@code --max-batch N} (default
 * 16), {@code --mix all|captions|scores} (which of the three requests per image are sent; default
 * all), {@code --json FILE} (a relative path is resolved against the repository root).
 */
public final class MemoryBenchmark {
    /** The JVM options the figures assume (printed in the rerun command). */
    static final String JVM_OPTIONS =
            "-Xms512m -Xmx512m -XX:+AlwaysPreTouch -XX:+UseSerialGC -XX:TieredStopAtLevel=1";

    private MemoryBenchmark() {}

    /** The parsed command line. */
    record Options(int requests, int wave, int warmup, int maxBatch, String mix, Path json, String variant) {

        /** Suffix of this run's summary keys and plot files: empty for the headline run. */
        String suffix() {
            return variant.isEmpty() ? "" : "_" + variant.replace('-', '_');
        }

        Options {
            if (!mix.equals("all") && !mix.equals("captions") && !mix.equals("scores")) {
                throw new IllegalArgumentException("--mix must be all, captions or scores, got " + mix);
            }
            if (requests < 1 || wave < 1 || warmup < 0 || maxBatch < 1) {
                throw new IllegalArgumentException("--requests, --wave, --max-batch must be positive, --warmup >= 0");
            }
            if (warmup >= requests) {
                throw new IllegalArgumentException("--warmup (" + warmup + ") must be below --requests (" + requests
                        + ")");
            }
        }

        static Options parse(String[] args) {
            int requests = 20_000;
            int wave = 500;
            int warmup = 2_000;
            int maxBatch = 16;
            String mix = "all";
            Path json = null;
            String variant = "";
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + args[i] + " needs a value");
                }
                String v = args[i + 1];
                switch (args[i]) {
                    case "--requests" -> requests = Integer.parseInt(v);
                    case "--wave" -> wave = Integer.parseInt(v);
                    case "--warmup" -> warmup = Integer.parseInt(v);
                    case "--max-batch" -> maxBatch = Integer.parseInt(v);
                    case "--mix" -> mix = v;
                    case "--json" -> json = Path.of(v);
                    // a comparison run (e.g. "default-malloc"): its keys get a suffix, so both fit one report
                    case "--variant" -> variant = v;
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + " (--requests, --wave, --warmup, --max-batch, --mix, --json, --variant)");
                }
            }
            return new Options(requests, wave, warmup, maxBatch, mix, json, variant);
        }
    }

    public static void main(String[] args) throws Exception {
        Path repo = ForwardBenchmark.repositoryRoot();
        DjlDefaults.apply(repo);
        Options options = Options.parse(args);
        // DJL classes load only from here on.
        MemoryBenchmarkRun.run(repo, options, RerunCommand.execJvm(JVM_OPTIONS, MemoryBenchmark.class,
                String.join(" ", args)));
    }
}
