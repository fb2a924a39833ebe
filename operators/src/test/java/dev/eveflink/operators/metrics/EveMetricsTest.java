package dev.eveflink.operators.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eveflink.model.engine.EngineStats;
import dev.eveflink.model.engine.InferenceOutcome;
import dev.eveflink.model.engine.InferenceRequest;
import dev.eveflink.model.engine.InferenceService;
import dev.eveflink.operators.avro.InferenceResult;
import dev.eveflink.operators.avro.PolicyDecision;
import dev.eveflink.operators.avro.PolicyVerdict;
import dev.eveflink.operators.avro.ResultStatus;
import dev.eveflink.operators.avro.Task;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

class EveMetricsTest {

    private static final String PREFIX = "op.eve.device.gpu(1).";

    private final Map<String, Metric> registered = new TreeMap<>();
    /** running 3 of 4 slots, 9 queued, 1200 of 4096 tokens reserved. */
    private final EngineStats stats = new EngineStats(9, 1, 3, 4, 4096, 1200, 17);
    private final InferenceService engine =
            new InferenceService() {
                @Override
                public CompletableFuture<InferenceOutcome> submit(InferenceRequest request) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public EngineStats stats() {
                    return stats;
                }

                @Override
                public String device() {
                    return "gpu(1)";
                }
            };

    @Test
    void metricsLiveUnderEveWithTheDeviceAsAVariable() {
        EveMetrics.register(new RecordingGroup("op", registered), "gpu(1)", engine);
        assertThat(registered.keySet())
                .contains(
                        PREFIX + "batchSize",
                        PREFIX + "occupancyPercent",
                        PREFIX + "queueWaitMillis",
                        PREFIX + "prefillMillis",
                        PREFIX + "decodeMillis",
                        PREFIX + "endToEndMillis",
                        PREFIX + "queueDepth",
                        PREFIX + "tokenBudgetInUse",
                        PREFIX + "tokensPerSecond",
                        PREFIX + "status.OK.results",
                        PREFIX + "status.TIMEOUT.results",
                        PREFIX + "status.REJECTED.results",
                        PREFIX + "status.FAILED.results");
        assertThat(gauge("queueDepth")).isEqualTo(stats.queueDepth());
        assertThat(gauge("tokenBudgetInUse")).isEqualTo(stats.tokensReserved());
        assertThat(gauge("running")).isEqualTo(stats.running());
    }

    @Test
    void resultsFeedCountersHistogramsAndTheTokenMeter() {
        EveMetrics metrics =
                EveMetrics.register(new RecordingGroup("op", registered), "gpu(1)", engine);
        InferenceResult ran = result(ResultStatus.OK, 3, 11, 120);
        InferenceResult rejected = result(ResultStatus.REJECTED, 0, 0, 2);
        metrics.record(ran);
        metrics.record(ran);
        metrics.record(rejected);

        assertThat(metrics.results(ResultStatus.OK)).isEqualTo(2);
        assertThat(metrics.results(ResultStatus.REJECTED)).isEqualTo(1);
        assertThat(((Counter) registered.get(PREFIX + "status.FAILED.results")).getCount())
                .isZero();
        assertThat(histogram("endToEndMillis").getCount()).isEqualTo(3);
        // Model timings only for results the model produced.
        assertThat(histogram("batchSize").getCount()).isEqualTo(2);
        assertThat(histogram("batchSize").getStatistics().getMax()).isEqualTo(3);
        assertThat(histogram("occupancyPercent").getStatistics().getMax())
                .isEqualTo(Math.round(100 * stats.occupancy()));
        assertThat(((Meter) registered.get(PREFIX + "tokensPerSecond")).getCount())
                .isEqualTo(2L * ran.getGeneratedTokens());
    }

    @Test
    void moderationResultsCountTheirDecisionAndEveryPolicysVerdict() {
        EveMetrics metrics =
                EveMetrics.register(new RecordingGroup("op", registered), "gpu(1)", engine);
        metrics.record(moderated(PolicyDecision.FLAG, verdict("red-alert", PolicyDecision.FLAG),
                verdict("cross", PolicyDecision.ALLOW)));
        metrics.record(moderated(PolicyDecision.REVIEW, verdict("red-alert", PolicyDecision.REVIEW)));
        metrics.record(result(ResultStatus.OK, 3, 11, 120)); // a caption: no decision

        assertThat(metrics.decisions(PolicyDecision.FLAG)).isEqualTo(1);
        assertThat(metrics.decisions(PolicyDecision.REVIEW)).isEqualTo(1);
        assertThat(metrics.decisions(PolicyDecision.ALLOW)).isZero();
        assertThat(counter("policy.red-alert.FLAG")).isEqualTo(1);
        assertThat(counter("policy.red-alert.REVIEW")).isEqualTo(1);
        assertThat(counter("policy.cross.ALLOW")).isEqualTo(1);
        assertThat(counter("policy.cross.FLAG")).isZero();
    }

    private long counter(String name) {
        return ((Counter) registered.get(PREFIX + name)).getCount();
    }

    private static PolicyVerdict verdict(String id, PolicyDecision decision) {
        return PolicyVerdict.newBuilder().setPolicyId(id).setScore(0.5f).setDecision(decision).build();
    }

    private static InferenceResult moderated(PolicyDecision decision, PolicyVerdict... verdicts) {
        InferenceResult r = result(ResultStatus.OK, 2, 0, 40);
        r.setTask(Task.MODERATE);
        r.setPolicies(List.of(verdicts));
        r.setDecision(decision);
        return r;
    }

    private Object gauge(String name) {
        return ((Gauge<?>) registered.get(PREFIX + name)).getValue();
    }

    private Histogram histogram(String name) {
        return (Histogram) registered.get(PREFIX + name);
    }

    private static InferenceResult result(
            ResultStatus status, int batchSize, int generated, long totalMillis) {
        return InferenceResult.newBuilder()
                .setId("r")
                .setStatus(status)
                .setTask(Task.CAPTION)
                .setPolicies(List.of())
                .setBatchSize(batchSize)
                .setGeneratedTokens(generated)
                .setQueueWaitMillis(5)
                .setPrefillMillis(6)
                .setDecodeMillis(7)
                .setTotalMillis(totalMillis)
                .build();
    }

    /** A metric group that records every metric under its dotted path. */
    private static final class RecordingGroup extends UnregisteredMetricsGroup {
        private final String path;
        private final Map<String, Metric> sink;

        RecordingGroup(String path, Map<String, Metric> sink) {
            this.path = path;
            this.sink = sink;
        }

        private <M extends Metric> M put(String name, M metric) {
            sink.put(path + "." + name, metric);
            return metric;
        }

        @Override
        public Counter counter(String name) {
            return put(name, new SimpleCounter());
        }

        @Override
        public <C extends Counter> C counter(String name, C counter) {
            return put(name, counter);
        }

        @Override
        public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
            return put(name, gauge);
        }

        @Override
        public <M extends Meter> M meter(String name, M meter) {
            return put(name, meter);
        }

        @Override
        public <H extends Histogram> H histogram(String name, H histogram) {
            return put(name, histogram);
        }

        @Override
        public MetricGroup addGroup(String name) {
            return new RecordingGroup(path + "." + name, sink);
        }

        @Override
        public MetricGroup addGroup(String key, String value) {
            return new RecordingGroup(path + "." + key + "." + value, sink);
        }
    }
}
