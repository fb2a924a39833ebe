package dev.eveflink.model.generate;

import java.util.List;

/**
 * How one request is decoded. Greedy (argmax, ties to the lowest id) when {@code temperature} is 0,
 * EVE's evaluation setting; otherwise temperature / top-k / top-p sampling with a seeded generator,
 * so the same request and seed give the same tokens.
 *
 * @param maxNewTokens at most this many new tokens (>= 1)
 * @param temperature 0 for greedy, else > 0
 * @param topP nucleus mass in (0, 1]; 1 keeps every token
 * @param topK keep the k most likely tokens; 0 keeps every token
 * @param seed seed of the sampler's random generator
 * @param stopStrings generation stops when the text contains one of these (cut before it)
 */
public record SamplingParams(
        int maxNewTokens, double temperature, double topP, int topK, long seed, List<String> stopStrings) {

    public SamplingParams {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be >= 1, got " + maxNewTokens);
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0, got " + topK);
        }
        stopStrings = List.copyOf(stopStrings);
        for (String s : stopStrings) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("stop strings must not be empty");
            }
        }
    }

    public static SamplingParams greedy(int maxNewTokens) {
        return new SamplingParams(maxNewTokens, 0, 1, 0, 0, List.of());
    }

    public boolean isGreedy() {
        return temperature == 0;
    }

    public SamplingParams withMaxNewTokens(int n) {
        return new SamplingParams(n, temperature, topP, topK, seed, stopStrings);
    }

    public SamplingParams withStopStrings(List<String> stops) {
        return new SamplingParams(maxNewTokens, temperature, topP, topK, seed, stops);
    }
}
