package dev.eveflink.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.eveflink.model.generate.Sampler;
import dev.eveflink.model.testutil.GoldenCases;
import dev.eveflink.model.testutil.GoldenPrompts;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 5,000 decode steps on the golden model (10 batches of 2 image prompts x 500 greedy steps; the
 * 2,048-position context rules out one long batch) must not leak: the model's live NDArray count is
 * the same after the first batch as after the last and stays flat from step to step inside a batch,
 * and the process's resident memory grows by less than 5% from the end of the warm-up batch to the
 * end. No timing is asserted.
 *
 * <p>The decode loop runs in a child JVM with a fixed, pre-touched heap ({@code -Xms = -Xmx},
 * {@code -XX:+AlwaysPreTouch}), the serial collector run once at the end of the warm-up, and C1 only.
 * The loop makes about 140 KiB of Java garbage per step: in the test JVM the heap's first touches and
 * resizes moved RSS by 20-90% with no native growth at all, and with a pre-touched G1 heap the first
 * young collection (G1's remembered sets) and C2 compilations still added 25-40 MB in steps after the
 * warm-up, flat afterwards. With those fixed, what RSS measures is the engine's native memory.
 */
class NativeMemoryTest {
    private static final Logger LOG = LoggerFactory.getLogger(NativeMemoryTest.class);
    private static final int BATCHES = 10;
    private static final int STEPS = 500;
    private static final String PREFIX = "NATIVE-MEMORY ";

    @Test
    void fiveThousandDecodeStepsLeakNeitherArraysNorNativeMemory() throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-D") || arg.startsWith("--add-opens")) { // DJL offline/cache/threads settings
                command.add(arg);
            }
        }
        command.addAll(List.of("-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                DecodeLoop.class.getName(), GoldenCases.DEFAULT_ROOT.toAbsolutePath().toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        Map<String, long[]> results = new HashMap<>();
        try (var reader = child.inputReader(StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.add(line);
                if (line.startsWith(PREFIX)) {
                    String[] parts = line.substring(PREFIX.length()).split(" ");
                    long[] values = new long[parts.length - 1];
                    for (int i = 1; i < parts.length; i++) {
                        values[i - 1] = Long.parseLong(parts[i]);
                    }
                    results.put(parts[0], values);
                }
            }
        }
        assertThat(child.waitFor(5, TimeUnit.MINUTES)).as("child finished").isTrue();
        LOG.info("child JVM output:\n{}", String.join("\n", output));
        assertThat(child.exitValue()).as("child exit status; output:\n%s", String.join("\n", output)).isZero();

        long[] arrays = results.get("arrays"); // weights-only, after batch 1, after last batch
        long[] rss = results.get("rss"); // KiB after warm-up batch, at end
        long steps = results.get("steps")[0];
        double growth = (double) (rss[1] - rss[0]) / rss[0];
        LOG.info("{} decode steps in {} batches: live arrays weights-only {}, after batch 1 {}, after batch {} {};"
                + " VmRSS after warm-up batch {} KiB, at end {} KiB ({} %)", steps, BATCHES, arrays[0], arrays[1],
                BATCHES, arrays[2], rss[0], rss[1], String.format("%+.2f", 100 * growth));
        assertThat(steps).isEqualTo(5_000);
        for (int b = 0; b < BATCHES; b++) {
            long[] inBatch = results.get("batch" + b); // live arrays after step 1, after step 500
            assertThat(inBatch[1]).as("live arrays after step %d vs step 1 of batch %d", STEPS, b)
                    .isEqualTo(inBatch[0]);
        }
        assertThat(arrays[2]).isEqualTo(arrays[1]).isEqualTo(arrays[0]);
        assertThat(growth).as("RSS growth from the warm-up batch to the end").isLessThan(0.05);
    }

    /** The child JVM: runs the batches and prints {@code NATIVE-MEMORY <key> <numbers>} lines. */
    public static final class DecodeLoop {
        public static void main(String[] args) throws IOException {
            GoldenCases golden = GoldenCases.load(Path.of(args[0]));
            try (EveModel model = EveModel.load(golden.root(), Device.cpu())) {
                List<Prompt> prompts = List.of(
                        GoldenPrompts.of(golden.get("c00_grad_shapes_64x64_q0"), model.imageConfig()),
                        GoldenPrompts.of(golden.get("c03_portrait_40x100_q1"), model.imageConfig()));
                int weightsOnly = model.liveArrays();
                int afterFirstBatch = -1;
                long rssAfterWarmup = -1;
                int steps = 0;
                for (int batchNo = 0; batchNo < BATCHES; batchNo++) {
                    try (PromptBatch batch = model.prefill(prompts, STEPS)) {
                        float[][] logits = batch.logits();
                        int afterFirstStep = -1;
                        for (int s = 0; s < STEPS; s++) {
                            logits = batch.step(new int[] {Sampler.argmax(logits[0]), Sampler.argmax(logits[1])});
                            steps++;
                            if (s == 0) {
                                afterFirstStep = model.liveArrays();
                            }
                        }
                        report("batch" + batchNo, afterFirstStep, model.liveArrays());
                    }
                    System.out.println("after batch " + (batchNo + 1) + ": VmRSS " + residentKib() + " KiB");
                    if (batchNo == 0) {
                        System.gc(); // a first collection touches the collector's own structures: do it in warm-up
                        afterFirstBatch = model.liveArrays();
                        rssAfterWarmup = residentKib();
                    }
                }
                report("arrays", weightsOnly, afterFirstBatch, model.liveArrays());
                report("rss", rssAfterWarmup, residentKib());
                report("steps", steps);
            }
        }

        private static void report(String key, long... values) {
            StringBuilder sb = new StringBuilder(PREFIX).append(key);
            for (long v : values) {
                sb.append(' ').append(v);
            }
            System.out.println(sb);
        }
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
