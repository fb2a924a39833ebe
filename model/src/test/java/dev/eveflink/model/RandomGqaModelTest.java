package dev.eveflink.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.eveflink.model.generate.Sampler;
import dev.eveflink.model.testutil.RandomCheckpoint;
import dev.eveflink.model.vision.VisualInput;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.eveflink.model.weights.SafetensorsFile;
import dev.eveflink.model.weights.SafetensorsWriter;
import dev.eveflink.model.weights.SafetensorsWriter.TensorSpec;
import dev.eveflink.model.weights.StoredTensor;
import dev.eveflink.model.weights.TensorDType;
import dev.eveflink.model.weights.TensorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Grouped-query attention (4 query heads sharing 2 key/value heads), which the golden config lacks,
 * on a random checkpoint: batching and KV caching must not change any logit beyond 1e-4.
 */
class RandomGqaModelTest {
    private static final Logger LOG = LoggerFactory.getLogger(RandomGqaModelTest.class);
    private static final double TOLERANCE = 1e-4;
    private static final int STEPS = 8;
    private static final RandomCheckpoint.Spec GQA =
            new RandomCheckpoint.Spec(64, 172, 2, 4, 2, 320, 32, 4, 64, 32, 512);

    @TempDir
    static Path dir;

    private static EveModel model;
    private static List<Prompt> prompts;

    @BeforeAll
    static void load() {
        model = EveModel.load(RandomCheckpoint.write(dir.resolve("gqa"), GQA, 11), Device.cpu());
        assertThat(model.config().kvGroups()).isEqualTo(2);
        Random random = new Random(5);
        // Ragged: different image rectangles (grids 8x8, 5x3, 2x8), text lengths and marker positions.
        prompts = List.of(
                prompt(random, 20, 5, RandomCheckpoint.randomImage(random, 64, 64)),
                prompt(random, 45, 12, RandomCheckpoint.randomImage(random, 40, 24)),
                prompt(random, 9, 1, RandomCheckpoint.randomImage(random, 16, 64)));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static Prompt prompt(Random random, int length, int marker, VisualInput image) {
        int[] ids = new int[length];
        ids[0] = 1; // BOS
        for (int i = 1; i < length; i++) {
            ids[i] = i == marker ? Prompt.IMAGE_TOKEN_ID : 3 + random.nextInt(GQA.vocab() - 3);
        }
        return new Prompt(ids, image);
    }

    /** Greedy decode; returns the logits of the prefill and of every step, [STEPS][B][V]. */
    private static float[][][] greedy(PromptBatch batch, int[][] tokensOut) {
        float[][][] logits = new float[STEPS][][];
        logits[0] = batch.logits();
        for (int s = 0; s < STEPS; s++) {
            int[] next = new int[batch.size()];
            for (int i = 0; i < next.length; i++) {
                next[i] = Sampler.argmax(logits[s][i]);
                tokensOut[i][s] = next[i];
            }
            if (s + 1 < STEPS) {
                logits[s + 1] = batch.step(next);
            }
        }
        return logits;
    }

    @Test
    void raggedBatchEqualsEachPromptAlone() {
        int b = prompts.size();
        int[][] tokens = new int[b][STEPS];
        float[][][] batched;
        try (PromptBatch batch = model.prefill(prompts, STEPS)) {
            assertThat(new int[] {batch.promptLength(0), batch.promptLength(1), batch.promptLength(2)})
                    .containsExactly(20 - 1 + 73, 45 - 1 + 21, 9 - 1 + 19);
            batched = greedy(batch, tokens);
        }
        double worst = 0;
        for (int i = 0; i < b; i++) {
            int[][] aloneTokens = new int[1][STEPS];
            float[][][] alone;
            try (PromptBatch single = model.prefill(List.of(prompts.get(i)), STEPS)) {
                alone = greedy(single, aloneTokens);
            }
            assertThat(aloneTokens[0]).as("greedy tokens of prompt %d", i).containsExactly(tokens[i]);
            for (int s = 0; s < STEPS; s++) {
                worst = Math.max(worst, maxDiff(batched[s][i], alone[s][0]));
            }
        }
        // The comparison is not vacuous: different prompts give very different logits.
        double spread = maxDiff(batched[0][0], batched[0][1]);
        LOG.info("GQA batched vs alone: max |diff| {} over {} steps; logit spread between prompts {}", worst, STEPS,
                spread);
        assertThat(spread).isGreaterThan(1000 * TOLERANCE);
        assertThat(worst).isLessThanOrEqualTo(TOLERANCE);
    }

    @Test
    void cachedDecodeEqualsFullRecompute() {
        Prompt prompt = prompts.get(1);
        int[][] tokens = new int[1][STEPS];
        float[][][] cached;
        try (PromptBatch batch = model.prefill(List.of(prompt), STEPS)) {
            cached = greedy(batch, tokens);
        }
        double worst = 0;
        int[] ids = prompt.ids();
        for (int s = 1; s < STEPS; s++) {
            // The prompt followed by the s tokens generated so far, prefilled from scratch.
            int[] extended = Arrays.copyOf(ids, ids.length + s);
            System.arraycopy(tokens[0], 0, extended, ids.length, s);
            try (PromptBatch full = model.prefill(List.of(new Prompt(extended, prompt.image())), 0)) {
                worst = Math.max(worst, maxDiff(cached[s][0], full.logits()[0]));
            }
        }
        LOG.info("GQA KV-cached decode vs full recompute: max |diff| {} over {} steps", worst, STEPS - 1);
        assertThat(worst).isLessThanOrEqualTo(TOLERANCE);
    }

    /**
     * HF's GQA convention (query head h reads key/value head h / groups) checked against plain MHA:
     * the same checkpoint with each key/value head's projection rows repeated for its group must
     * give the same logits.
     */
    @Test
    void groupedQueryAttentionEqualsMhaWithRepeatedKeyValueHeads() throws IOException {
        Path mhaDir = expandToMha(dir.resolve("gqa"), dir.resolve("mha"));
        double worst = 0;
        try (EveModel mha = EveModel.load(mhaDir, Device.cpu());
                PromptBatch a = model.prefill(prompts, 2);
                PromptBatch b = mha.prefill(prompts, 2)) {
            assertThat(mha.config().kvGroups()).isEqualTo(1);
            int[] feed = {7, 8, 9};
            float[][][] logits = {a.logits(), b.logits(), a.step(feed), b.step(feed)};
            for (int i = 0; i < prompts.size(); i++) {
                worst = Math.max(worst, maxDiff(logits[0][i], logits[1][i]));
                worst = Math.max(worst, maxDiff(logits[2][i], logits[3][i]));
            }
        }
        LOG.info("GQA vs MHA with repeated K/V heads: max |diff| {}", worst);
        assertThat(worst).isLessThanOrEqualTo(TOLERANCE);
    }

    private static Path expandToMha(Path gqaDir, Path mhaDir) throws IOException {
        Files.createDirectories(mhaDir);
        try (var files = Files.list(gqaDir)) {
            for (Path f : files.toList()) {
                Files.copy(f, mhaDir.resolve(f.getFileName()));
            }
        }
        JsonObject config = JsonParser.parseString(Files.readString(mhaDir.resolve("config.json"))).getAsJsonObject();
        config.addProperty("num_key_value_heads", GQA.heads());
        Files.writeString(mhaDir.resolve("config.json"), config.toString());
        SafetensorsFile gqa = SafetensorsFile.open(gqaDir.resolve("model.safetensors"));
        int groups = GQA.heads() / GQA.kvHeads();
        int rowsPerHead = GQA.headDim() * GQA.hidden(); // one head's block of projection rows
        List<SafetensorsWriter.FloatTensor> out = new ArrayList<>();
        for (String name : gqa.names()) {
            TensorInfo info = gqa.info(name);
            float[] values = new float[Math.toIntExact(info.numel())];
            try (StoredTensor.Reader r = gqa.tensor(name).openReader()) {
                r.next(Math.toIntExact(info.byteSize())).asFloatBuffer().get(values);
            }
            long[] shape = info.shape().getShape();
            if (name.matches(".*self_attn\\.[kv]_proj\\.weight")) {
                float[] expanded = new float[values.length * groups]; // [H*hd, D]
                for (int h = 0; h < GQA.heads(); h++) {
                    System.arraycopy(values, (h / groups) * rowsPerHead, expanded, h * rowsPerHead, rowsPerHead);
                }
                values = expanded;
                shape = new long[] {shape[0] * groups, shape[1]};
            }
            out.add(new SafetensorsWriter.FloatTensor(new TensorSpec(name, TensorDType.F32, shape), values));
        }
        SafetensorsWriter.write(mhaDir.resolve("model.safetensors"), out, Map.of("format", "pt"));
        return mhaDir;
    }

    static double maxDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs((double) a[i] - b[i]));
        }
        return worst;
    }
}
