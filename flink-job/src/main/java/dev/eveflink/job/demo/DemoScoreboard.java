package dev.eveflink.job.demo;

import dev.eveflink.model.demo.world.DemoPolicy;
import dev.eveflink.operators.avro.InferenceResult;
import dev.eveflink.operators.avro.PolicyDecision;
import dev.eveflink.operators.avro.PolicyVerdict;
import dev.eveflink.operators.avro.ResultStatus;
import dev.eveflink.operators.avro.Task;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compares each result with the world's truth and keeps the tallies of the summary. Exact match is
 * string equality after trimming: the demo model's answers are lower-case words like the truth's. A
 * policy verdict is right when "not ALLOW" equals the truth's "flagged". Not thread-safe: one reader.
 */
final class DemoScoreboard {
    private final List<Long> latencies = new ArrayList<>();
    private final Map<String, Integer> statuses = new TreeMap<>();
    private final Tally captions = new Tally();
    private final Tally answers = new Tally();
    private final Map<String, Tally> policies = new LinkedHashMap<>();

    DemoScoreboard() {
        for (DemoPolicy p : DemoPolicy.values()) {
            policies.put(p.policyName(), new Tally());
        }
    }

    /** Counts one result and returns its readable line. */
    String record(InferenceResult result, DemoEvents.Expected expected, long latencyMillis) {
        latencies.add(latencyMillis);
        statuses.merge(result.getStatus().name(), 1, Integer::sum);
        boolean ok = result.getStatus() == ResultStatus.OK;
        String head = String.format(Locale.ROOT, "%-10s %-8s %6d ms  ", result.getId(), result.getTask(),
                latencyMillis);
        if (!ok) {
            return head + result.getStatus() + " "
                    + (result.getError() == null ? "" : result.getError().getCode() + ": "
                            + result.getError().getMessage());
        }
        if (expected.task() == Task.MODERATE) {
            StringBuilder line = new StringBuilder(head);
            for (PolicyVerdict v : result.getPolicies()) {
                Tally tally = policies.get(v.getPolicyId());
                DemoPolicy policy = policy(v.getPolicyId());
                boolean truth = policy != null && expected.truth().flagged(policy);
                boolean right = (v.getDecision() != PolicyDecision.ALLOW) == truth;
                if (tally != null) {
                    tally.add(right);
                }
                line.append(String.format(Locale.ROOT, "%s=%s (score=%.2f, truth %s) %s  ", v.getPolicyId(),
                        v.getDecision(), v.getScore(), truth ? "flag" : "allow", mark(right)));
            }
            return line.toString().stripTrailing();
        }
        String text = result.getText() == null ? "" : result.getText().strip();
        boolean right = text.equals(expected.answer());
        (expected.task() == Task.CAPTION ? captions : answers).add(right);
        String asked = expected.question() == null ? "" : expected.question() + " ";
        return head + asked + "'" + printable(text) + "' vs '" + expected.answer() + "' " + mark(right);
    }

    int results() {
        return latencies.size();
    }

    /** The summary after {@code seconds} of wall time from the first event sent. */
    String summary(double seconds) {
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "results: %d %s in %.1f s, %.2f results/s%n", results(), statuses,
                seconds, results() / Math.max(seconds, 1e-9)));
        s.append(String.format(Locale.ROOT, "latency: p50 %d ms, p99 %d ms (send to read_committed read)%n",
                percentile(sorted, 0.50), percentile(sorted, 0.99)));
        s.append("caption exact match: ").append(captions).append('\n');
        s.append("VQA exact match:     ").append(answers).append('\n');
        policies.forEach((id, tally) -> s.append("policy ").append(id).append(" decision accuracy: ")
                .append(tally).append('\n'));
        return s.toString().stripTrailing();
    }

    Map<String, Integer> statuses() {
        return Map.copyOf(statuses);
    }

    /** Nearest-rank percentile of sorted values; 0 when there are none. */
    static long percentile(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private static DemoPolicy policy(String id) {
        for (DemoPolicy p : DemoPolicy.values()) {
            if (p.policyName().equals(id)) {
                return p;
            }
        }
        return null;
    }

    private static String mark(boolean right) {
        return right ? "\u2713" : "\u2717";
    }

    /** A garbage answer (the tiny test model's) stays on one readable line. */
    private static String printable(String text) {
        String flat = text.replaceAll("\\p{Cntrl}", " ");
        return flat.length() > 80 ? flat.substring(0, 80) + "..." : flat;
    }

    /** Right out of seen. */
    private static final class Tally {
        int right;
        int seen;

        void add(boolean ok) {
            seen++;
            if (ok) {
                right++;
            }
        }

        @Override
        public String toString() {
            return seen == 0 ? "n/a (0 results)"
                    : String.format(Locale.ROOT, "%.1f%% (%d/%d)", 100.0 * right / seen, right, seen);
        }
    }
}
