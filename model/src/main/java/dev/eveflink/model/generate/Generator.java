package dev.eveflink.model.generate;

import dev.eveflink.model.EveModel;
import dev.eveflink.model.Prompt;
import dev.eveflink.model.PromptBatch;
import dev.eveflink.model.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Static batched generation: the requests are prefilled together and decoded step by step with the
 * KV cache until every sequence has stopped (EOS, a stop string, or its token limit). A finished
 * sequence's row is ignored from then on. (The engine's continuous batching replaces finished
 * sequences with waiting ones; this loop is the building block and the reference for it.)
 */
public final class Generator {
    private final EveModel model;
    private final Tokenizer tokenizer;

    public Generator(EveModel model, Tokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
    }

    public Generation generate(GenerationRequest request) {
        return generate(List.of(request)).get(0);
    }

    public List<Generation> generate(List<GenerationRequest> requests) {
        int b = requests.size();
        List<Prompt> prompts = new ArrayList<>(b);
        int[] limits = new int[b];
        int maxNew = 0;
        for (int i = 0; i < b; i++) {
            GenerationRequest r = requests.get(i);
            prompts.add(r.prompt());
            int room = model.config().maxPositions() - model.promptLength(r.prompt()) + 1;
            if (room < 1) {
                throw new IllegalArgumentException("prompt " + i + " takes " + model.promptLength(r.prompt())
                        + " positions, more than the model's context of " + model.config().maxPositions());
            }
            limits[i] = Math.min(r.params().maxNewTokens(), room);
            maxNew = Math.max(maxNew, limits[i]);
        }
        Sampler[] samplers = new Sampler[b];
        for (int i = 0; i < b; i++) {
            samplers[i] = Sampler.of(requests.get(i).params());
        }
        int[][] tokens = new int[b][maxNew];
        int[] counts = new int[b];
        StopRules.Stop[] stops = new StopRules.Stop[b];
        try (PromptBatch batch = model.prefill(prompts, maxNew)) {
            float[][] logits = batch.logits();
            int active = b;
            int[] feed = new int[b];
            while (true) {
                for (int i = 0; i < b; i++) {
                    if (stops[i] != null) {
                        feed[i] = tokenizer.eosId();
                        continue;
                    }
                    int token = samplers[i].next(logits[i]);
                    tokens[i][counts[i]++] = token;
                    feed[i] = token;
                    stops[i] = StopRules.check(tokenizer, java.util.Arrays.copyOf(tokens[i], counts[i]), limits[i],
                            requests.get(i).params().stopStrings());
                    if (stops[i] != null) {
                        active--;
                    }
                }
                if (active == 0) {
                    break;
                }
                logits = batch.step(feed);
            }
            List<Generation> out = new ArrayList<>(b);
            for (int i = 0; i < b; i++) {
                int[] produced = java.util.Arrays.copyOf(tokens[i], counts[i]);
                out.add(new Generation(produced, stops[i].text(), stops[i].reason(), batch.promptLength(i)));
            }
            return out;
        }
    }
}
