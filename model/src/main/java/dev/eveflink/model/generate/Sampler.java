package dev.eveflink.model.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Picks the next token from one sequence's logits. */
@FunctionalInterface
public interface Sampler {

    int next(float[] logits);

    /** Argmax; ties go to the lowest id (the first maximum). */
    Sampler GREEDY = Sampler::argmax;

    static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    /** The sampler a request asks for; each call gets its own seeded random generator. */
    static Sampler of(SamplingParams params) {
        return params.isGreedy() ? GREEDY : new Stochastic(params);
    }

    /** Temperature, then top-k, then top-p (nucleus), then a draw from the renormalised rest. */
    final class Stochastic implements Sampler {
        private final SamplingParams params;
        private final SplittableRandom random;

        Stochastic(SamplingParams params) {
            this.params = params;
            this.random = new SplittableRandom(params.seed());
        }

        @Override
        public int next(float[] logits) {
            int n = logits.length;
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            // Most likely first; equal logits keep the lower id first, so the draw is reproducible.
            Arrays.sort(order, (a, b) -> logits[a] != logits[b] ? Float.compare(logits[b], logits[a]) : a - b);
            int keep = params.topK() > 0 ? Math.min(params.topK(), n) : n;
            double max = logits[order[0]] / params.temperature();
            double[] weights = new double[keep];
            double total = 0;
            for (int r = 0; r < keep; r++) {
                weights[r] = Math.exp(logits[order[r]] / params.temperature() - max);
                total += weights[r];
            }
            if (params.topP() < 1) {
                double mass = 0;
                int cut = keep;
                for (int r = 0; r < keep; r++) {
                    mass += weights[r] / total;
                    if (mass >= params.topP()) {
                        cut = r + 1;
                        break;
                    }
                }
                keep = cut;
                total = 0;
                for (int r = 0; r < keep; r++) {
                    total += weights[r];
                }
            }
            double u = random.nextDouble() * total;
            for (int r = 0; r < keep; r++) {
                u -= weights[r];
                if (u < 0) {
                    return order[r];
                }
            }
            return order[keep - 1];
        }
    }
}
