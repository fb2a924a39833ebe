package dev.eveflink.job.bench;

import dev.eveflink.model.policy.ModerationPolicy;
import dev.eveflink.operators.avro.ResultStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The naive baseline without Flink or Kafka: {@link NaiveEve} on one thread, one event after another,
 * the model-level counterpart of the naive pipeline (as {@link RawEngineRun} is of ours).
 */
final class RawNaiveRun implements AutoCloseable {
    private final NaiveEve naive;

    RawNaiveRun(Path modelDir, String captionQuestion, List<ModerationPolicy> policies) {
        this.naive = NaiveEve.load(modelDir, captionQuestion, policies, 64);
    }

    /** Runs events back to back for {@code length}; counts the completions after the first fifth. */
    Measured burst(BenchEvents mix, String prefix, Duration length) {
        long start = System.nanoTime();
        long measureFrom = start + length.toNanos() / 5;
        long end = start + length.toNanos();
        long[] times = new long[1024];
        int n = 0;
        int notOk = 0;
        for (int i = 0; System.nanoTime() < end; i++) {
            if (naive.apply(mix.event(prefix + "-" + i, i)).getStatus() != ResultStatus.OK) {
                notOk++;
            }
            if (n == times.length) {
                times = Arrays.copyOf(times, n * 2);
            }
            times[n++] = System.nanoTime();
        }
        long[] done = Arrays.copyOf(times, n);
        int counted = (int) Arrays.stream(done).filter(t -> t >= measureFrom && t < end).count();
        return new Measured(SteadyRate.inWindow(done, measureFrom, end), counted, notOk);
    }

    @Override
    public void close() {
        naive.close();
    }
}
