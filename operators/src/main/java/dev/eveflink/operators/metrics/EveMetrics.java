package dev.eveflink.operators.metrics;

import dev.eveflink.model.engine.InferenceService;
import dev.eveflink.operators.avro.InferenceResult;
import dev.eveflink.operators.avro.PolicyDecision;
import dev.eveflink.operators.avro.PolicyVerdict;
import dev.eveflink.operators.avro.ResultStatus;
import dev.eveflink.operators.avro.Task;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.util.Preconditions;

/**
 * The inference operator's metrics, under {@code <operator>.eve.device.<device>}.
 *
 * <ul>
 *   <li>histograms {@code batchSize}, {@code occupancyPercent} (running sequences over slots when
 *       a result arrives), {@code queueWaitMillis}, {@code prefillMillis}, {@code decodeMillis},
 *       {@code endToEndMillis};
 *   <li>gauges read from the shared engine: {@code queueDepth}, {@code running}, {@code
 *       tokenBudget}, {@code tokenBudgetInUse} (KV-cache tokens reserved);
 *   <li>meter {@code tokensPerSecond} over counter {@code generatedTokens};
 *   <li>counters {@code status.<OK|TIMEOUT|REJECTED|FAILED>.results};
 *   <li>moderation counters: {@code decision.<ALLOW|REVIEW|FLAG>.results} (a MODERATE result's overall
 *       decision) and {@code policy.<id>.<ALLOW|REVIEW|FLAG>} (each verdict), registered when a policy
 *       first reports, so a reloaded policy set adds its policies without a restart.
 * </ul>
 *
 * <p>Engine gauges describe the whole engine, which every subtask on the device shares; the other
 * metrics count this subtask's results. {@link #record} runs on the engine's callback threads;
 * it is synchronized so that concurrent completions of one subtask never race on a histogram.
 */
public final class EveMetrics {

    /** Samples kept per histogram. */
    private static final int WINDOW = 1024;

    private final Histogram batchSize;
    private final Histogram occupancyPercent;
    private final Histogram queueWaitMillis;
    private final Histogram prefillMillis;
    private final Histogram decodeMillis;
    private final Histogram endToEndMillis;
    private final Counter generatedTokens;
    private final Map<ResultStatus, Counter> results = new EnumMap<>(ResultStatus.class);
    private final Map<PolicyDecision, Counter> decisions = new EnumMap<>(PolicyDecision.class);
    /** Per policy id and decision; grows with the policies that report (a few per policy set). */
    private final Map<String, Map<PolicyDecision, Counter>> policyDecisions = new HashMap<>();
    private final MetricGroup group;
    /** The engine whose load the gauges and the occupancy histogram read. */
    private final InferenceService engine;

    private EveMetrics(MetricGroup group, InferenceService engine) {
        this.engine = engine;
        this.group = group;
        batchSize = group.histogram("batchSize", new DescriptiveStatisticsHistogram(WINDOW));
        occupancyPercent =
                group.histogram("occupancyPercent", new DescriptiveStatisticsHistogram(WINDOW));
        queueWaitMillis =
                group.histogram("queueWaitMillis", new DescriptiveStatisticsHistogram(WINDOW));
        prefillMillis = group.histogram("prefillMillis", new DescriptiveStatisticsHistogram(WINDOW));
        decodeMillis = group.histogram("decodeMillis", new DescriptiveStatisticsHistogram(WINDOW));
        endToEndMillis =
                group.histogram("endToEndMillis", new DescriptiveStatisticsHistogram(WINDOW));
        generatedTokens = group.counter("generatedTokens");
        group.meter("tokensPerSecond", new MeterView(generatedTokens));
        group.gauge("queueDepth", (Gauge<Integer>) () -> engine.stats().queueDepth());
        group.gauge("running", (Gauge<Integer>) () -> engine.stats().running());
        group.gauge("tokenBudget", (Gauge<Long>) () -> engine.stats().tokenBudget());
        group.gauge("tokenBudgetInUse", (Gauge<Long>) () -> engine.stats().tokensReserved());
        for (ResultStatus status : ResultStatus.values()) {
            results.put(status, group.addGroup("status", status.name()).counter("results"));
        }
        for (PolicyDecision decision : PolicyDecision.values()) {
            decisions.put(decision, group.addGroup("decision", decision.name()).counter("results"));
        }
    }

    /**
     * Registers the metrics under {@code parent.eve.device.<device>}.
     *
     * @param parent the operator's metric group ({@code getRuntimeContext().getMetricGroup()})
     * @param device the device the subtask uses, e.g. {@code gpu(0)}
     * @param engine the engine whose load the gauges report
     */
    public static EveMetrics register(MetricGroup parent, String device, InferenceService engine) {
        Preconditions.checkNotNull(parent, "parent");
        Preconditions.checkNotNull(device, "device");
        Preconditions.checkNotNull(engine, "engine");
        return new EveMetrics(parent.addGroup("eve").addGroup("device", device), engine);
    }

    /** Counts one emitted result; model timings only when the model ran. */
    public synchronized void record(InferenceResult result) {
        results.get(result.getStatus()).inc();
        endToEndMillis.update(result.getTotalMillis());
        if (result.getBatchSize() > 0) {
            batchSize.update(result.getBatchSize());
            occupancyPercent.update(Math.round(100 * engine.stats().occupancy()));
            queueWaitMillis.update(result.getQueueWaitMillis());
            prefillMillis.update(result.getPrefillMillis());
            decodeMillis.update(result.getDecodeMillis());
            generatedTokens.inc(result.getGeneratedTokens());
        }
        if (result.getStatus() == ResultStatus.OK && result.getTask() == Task.MODERATE) {
            if (result.getDecision() != null) {
                decisions.get(result.getDecision()).inc();
            }
            for (PolicyVerdict verdict : result.getPolicies()) {
                policyCounter(verdict.getPolicyId(), verdict.getDecision()).inc();
            }
        }
    }

    private Counter policyCounter(String policyId, PolicyDecision decision) {
        return policyDecisions
                .computeIfAbsent(policyId, id -> {
                    MetricGroup policy = group.addGroup("policy", id);
                    Map<PolicyDecision, Counter> counters = new EnumMap<>(PolicyDecision.class);
                    for (PolicyDecision d : PolicyDecision.values()) {
                        counters.put(d, policy.counter(d.name()));
                    }
                    return counters;
                })
                .get(decision);
    }

    /** MODERATE results counted with the overall {@code decision} so far (for tests and logs). */
    public synchronized long decisions(PolicyDecision decision) {
        return decisions.get(decision).getCount();
    }

    /** Results counted with {@code status} so far (for tests and logs). */
    public synchronized long results(ResultStatus status) {
        return results.get(status).getCount();
    }
}
