package dev.eveflink.model.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.eveflink.model.EveModel;
import dev.eveflink.model.Prompt;
import dev.eveflink.model.PromptBatch;
import dev.eveflink.model.config.EveConfig;
import dev.eveflink.model.generate.Sampler;
import dev.eveflink.model.testutil.RandomCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** The measuring half of {@link ForwardBenchmark}, loaded only after the DJL properties are set. */
final class BenchmarkRun {
    private BenchmarkRun() {}

    /** One measured row of the table. */
    private record Row(String model, long params, int batch, int promptTokens, double prefillMsPerToken,
            double decodeMsPerStep) {
        double decodeTokensPerSecond() {
            return batch * 1000.0 / decodeMsPerStep;
        }
    }

    static void run(Path repo, BenchmarkOptions options) throws Exception {
        Path golden = repo.resolve("model/src/test/golden/eve-tiny");
        List<Row> rows = new ArrayList<>();
        for (String name : options.models()) {
            Path dir;
            int imageSide;
            switch (name) {
                case "golden" -> {
                    dir = golden;
                    imageSide = 64; // the whole 64x64 canvas: grid 8x8, 73 visual tokens
                }
                case "bench-s" -> {
                    dir = repo.resolve("target/bench-s");
                    if (!Files.isRegularFile(dir.resolve("model.safetensors"))) {
                        RandomCheckpoint.write(dir, RandomCheckpoint.BENCH_S, 1, golden);
                    }
                    imageSide = 224; // grid 8x8 of 28 px cells: 73 visual tokens
                }
                default -> throw new IllegalArgumentException("unknown model " + name + " (golden, bench-s)");
            }
            try (EveModel model = EveModel.load(dir, Device.cpu())) {
                for (int batch : options.batches()) {
                    rows.add(measure(name, model, batch, imageSide, options));
                }
            }
        }
        print(rows, options);
    }

    private static Row measure(String name, EveModel model, int batch, int imageSide, BenchmarkOptions o) {
        Random random = new Random(42);
        List<Prompt> prompts = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            int[] ids = new int[o.textTokens() + 1];
            ids[0] = 1; // BOS
            ids[1] = Prompt.IMAGE_TOKEN_ID;
            for (int t = 2; t < ids.length; t++) {
                ids[t] = 3 + random.nextInt(model.config().vocabSize() - 3);
            }
            prompts.add(new Prompt(ids, RandomCheckpoint.randomImage(random, imageSide, imageSide)));
        }
        int promptTokens = model.promptLength(prompts.get(0));
        int newTokens = BenchmarkOptions.WARMUP_STEPS + o.steps() + 1;
        double[] prefillMs = new double[o.reps()];
        double[] stepMs = new double[o.steps()];
        for (int rep = -1; rep < o.reps(); rep++) { // rep -1: warm-up
            long start = System.nanoTime();
            try (PromptBatch pb = model.prefill(prompts, newTokens)) {
                double ms = (System.nanoTime() - start) / 1e6;
                if (rep >= 0) {
                    prefillMs[rep] = ms;
                }
                if (rep == o.reps() - 1 || rep == -1) {
                    float[][] logits = pb.logits();
                    for (int s = 0; s < BenchmarkOptions.WARMUP_STEPS + o.steps(); s++) {
                        int[] next = new int[batch];
                        for (int i = 0; i < batch; i++) {
                            next[i] = Sampler.argmax(logits[i]);
                        }
                        long t0 = System.nanoTime();
                        logits = pb.step(next);
                        double dt = (System.nanoTime() - t0) / 1e6;
                        if (rep >= 0 && s >= BenchmarkOptions.WARMUP_STEPS) {
                            stepMs[s - BenchmarkOptions.WARMUP_STEPS] = dt;
                        }
                    }
                }
            }
        }
        Row row = new Row(name, parameters(model.config()), batch, promptTokens,
                median(prefillMs) / ((double) batch * promptTokens), median(stepMs));
        System.err.printf("measured %s batch %d: prefill %.3f ms/token, decode %.3f ms/step%n", name, batch,
                row.prefillMsPerToken(), row.decodeMsPerStep());
        return row;
    }

    /** Decoder parameters (embeddings, layers, norm, head); the patch layer is small beside them. */
    private static long parameters(EveConfig c) {
        long d = c.hiddenSize();
        long kv = (long) c.numKvHeads() * c.headDim();
        long layer = 2 * d * d + 2 * d * kv + 3 * d * c.intermediateSize() + 2 * d;
        return 2L * c.vocabSize() * d + c.numLayers() * layer + d;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static void print(List<Row> rows, BenchmarkOptions o) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%nEVE forward pass, DJL %s on %s, float32, %s intra-op thread(s), %d CPU(s) visible;"
                        + " medians of %d prefills (after 1 warm-up) and %d decode steps (after %d warm-up)%n%n",
                Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion(), Device.cpu(),
                System.getProperty("ai.djl.pytorch.num_threads"), Runtime.getRuntime().availableProcessors(),
                o.reps(), o.steps(), BenchmarkOptions.WARMUP_STEPS));
        sb.append("| model | decoder params | batch | prompt tokens/seq | prefill ms/token | decode ms/step"
                + " | decode tokens/s |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            sb.append(String.format("| %s | %.2fM | %d | %d | %.4f | %.3f | %.1f |%n", r.model(), r.params() / 1e6,
                    r.batch(), r.promptTokens(), r.prefillMsPerToken(), r.decodeMsPerStep(),
                    r.decodeTokensPerSecond()));
        }
        sb.append('\n');
        for (String model : o.models()) {
            Row first = find(rows, model, o.batches()[0]);
            Row last = find(rows, model, o.batches()[o.batches().length - 1]);
            sb.append(String.format("%s: decode throughput batch %d / batch %d = %.2fx%n", model, last.batch(),
                    first.batch(), last.decodeTokensPerSecond() / first.decodeTokensPerSecond()));
        }
        System.out.print(sb);
    }

    private static Row find(List<Row> rows, String model, int batch) {
        return rows.stream().filter(r -> r.model().equals(model) && r.batch() == batch).findFirst().orElseThrow();
    }
}
