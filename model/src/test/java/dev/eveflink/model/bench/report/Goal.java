package dev.eveflink.model.bench.report;

import java.util.Map;
import java.util.Optional;

/**
 * The suite's headline goals (issue 9). They are reported, never asserted: the machine is shared and
 * noisy. Each names the summary key that measures it and the part expected to report that key.
 */
enum Goal {
    OPERATOR_EFFICIENCY("operator_efficiency", "operator efficiency: pipeline throughput / engine alone", "",
            "pipeline", ">= 0.85") {
        @Override
        Optional<Boolean> met(double value, Map<String, Double> summary) {
            return Optional.of(value >= 0.85);
        }
    },
    VS_NAIVE("vs_naive", "operator throughput / naive synchronous MapFunction", "x", "pipeline", ">= 4x") {
        @Override
        Optional<Boolean> met(double value, Map<String, Double> summary) {
            return Optional.of(value >= 4);
        }
    },
    ADDED_LATENCY("added_latency_ms_at_25pct", "scheduler added latency at 25% load (p50)", " ms", "pipeline",
            "<= 2 ms + maxWait") {
        @Override
        Optional<Boolean> met(double value, Map<String, Double> summary) {
            Double maxWait = summary.get(MAX_WAIT_KEY);
            return maxWait == null ? Optional.empty() : Optional.of(value <= 2 + maxWait);
        }

        @Override
        String goal(Map<String, Double> summary) {
            Double maxWait = summary.get(MAX_WAIT_KEY);
            return maxWait == null ? goal : String.format(java.util.Locale.ROOT, "<= 2 ms + maxWait %s ms = %s ms",
                    LinePlot.label(maxWait), LinePlot.label(2 + maxWait));
        }
    },
    CONTINUOUS_VS_STATIC("continuous_vs_static", "continuous / static batching, mixed output lengths (tokens/s)",
            "x", "continuous", ">= 1.5x") {
        @Override
        Optional<Boolean> met(double value, Map<String, Double> summary) {
            return Optional.of(value >= 1.5);
        }
    },
    MODERATION_SHARED("moderation_8_vs_1_shared",
            "moderation: time per image with 8 policies / with 1, one shared image prefill", "x", "moderation",
            "< 2.5x (naive: ~8x)") {
        @Override
        Optional<Boolean> met(double value, Map<String, Double> summary) {
            return Optional.of(value < 2.5);
        }
    },
    RSS_GROWTH("rss_growth_pct", "RSS growth over the memory run (median, last third vs first third after warm-up)",
            "%", "memory", "< 5%") {
        @Override
        Optional<Boolean> met(double value, Map<String, Double> summary) {
            return Optional.of(value < 5);
        }
    };

    /** The summary key holding the engine's maxWait in ms, which the latency goal adds to its 2 ms. */
    static final String MAX_WAIT_KEY = "max_wait_ms";

    final String key;
    final String metric;
    final String unit;
    final String part;
    final String goal;

    Goal(String key, String metric, String unit, String part, String goal) {
        this.key = key;
        this.metric = metric;
        this.unit = unit;
        this.part = part;
        this.goal = goal;
    }

    /** Whether {@code value} meets the goal; empty when that depends on a figure nobody reported. */
    abstract Optional<Boolean> met(double value, Map<String, Double> summary);

    /** The goal as printed. */
    String goal(Map<String, Double> summary) {
        return goal;
    }
}
