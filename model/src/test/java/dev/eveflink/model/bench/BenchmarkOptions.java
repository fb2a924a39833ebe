package dev.eveflink.model.bench;

import java.util.Arrays;
import java.util.List;

/** Command-line options of {@link ForwardBenchmark}. */
record BenchmarkOptions(int[] batches, int reps, int steps, int textTokens, List<String> models) {
    static final int WARMUP_STEPS = 4;

    BenchmarkOptions {
        if (batches.length == 0 || reps < 1 || steps < 1 || textTokens < 2 || models.isEmpty()) {
            throw new IllegalArgumentException("batches, reps, steps, text tokens and models must be positive");
        }
    }

    static BenchmarkOptions parse(String[] args) {
        int[] batches = {1, 8, 32};
        int reps = 3;
        int steps = 24;
        int text = 40;
        List<String> models = List.of("golden", "bench-s");
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                throw new IllegalArgumentException("option " + args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--batches" -> batches = Arrays.stream(value.split(",")).mapToInt(Integer::parseInt).toArray();
                case "--reps" -> reps = Integer.parseInt(value);
                case "--steps" -> steps = Integer.parseInt(value);
                case "--text" -> text = Integer.parseInt(value);
                case "--models" -> models = List.of(value.split(","));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--batches, --reps, --steps, --text, --models)");
            }
            i++;
        }
        return new BenchmarkOptions(batches, reps, steps, text, models);
    }
}
