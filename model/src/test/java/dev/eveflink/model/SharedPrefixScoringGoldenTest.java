package dev.eveflink.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.eveflink.model.testutil.GoldenCases;
import dev.eveflink.model.tokenizer.ChatTemplate;
import dev.eveflink.model.tokenizer.Tokenizer;
import dev.eveflink.model.tokenizer.Tokenizers;
import dev.eveflink.model.vision.VisualInput;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shared-prefix scoring path on the golden eve-tiny model: K questions about one image, prefix
 * prefilled once, give the logits of their full prompts (the golden reference where it has the
 * question, else the full prompt's own prefill), with one image encode and two forwards in all.
 */
class SharedPrefixScoringGoldenTest {
    private static GoldenCases golden;
    private static EveModel model;
    private static Tokenizer tokenizer;

    @BeforeAll
    static void load() {
        golden = GoldenCases.load();
        model = EveModel.load(golden.root(), Device.cpu());
        tokenizer = Tokenizers.load(golden.root());
    }

    @AfterAll
    static void close() {
        model.close();
        tokenizer.close();
    }

    private static VisualInput image(String caseId) {
        GoldenCases.Case c = golden.get(caseId);
        return VisualInput.fromCanvas(c.tensors().floats("pixel_values"), model.imageConfig().imageSize(),
                model.imageConfig().patchStride());
    }

    private static List<Prompt> prompts(VisualInput image, List<String> questions) {
        List<Prompt> prompts = new ArrayList<>();
        for (String q : questions) {
            prompts.add(new Prompt(ChatTemplate.tokenizeWithImage(tokenizer, ChatTemplate.VICUNA_V1.prompt(q, true)),
                    image));
        }
        return prompts;
    }

    private static float[] fullPromptLogits(Prompt prompt) {
        try (PromptBatch batch = model.prefill(List.of(prompt), 0)) {
            return batch.logits()[0];
        }
    }

    @Test
    void sharedPrefixLogitsEqualTheFullPromptsForTwoImages() {
        GoldenCases.Case c00 = golden.get("c00_grad_shapes_64x64_q0");
        GoldenCases.Case c01 = golden.get("c01_grad_shapes_64x64_q1");
        GoldenCases.Case c05 = golden.get("c05_tiny_17x23_q0");
        GoldenCases.Case c06 = golden.get("c06_tiny_17x23_q2");
        // A duplicate question and questions of very different lengths.
        List<String> shapesQuestions = List.of(c00.question(), c01.question(), c00.question(),
                "Is there a red circle?");
        List<String> tinyQuestions = List.of(c05.question(), c06.question());
        List<Prompt> shapes = prompts(image(c00.id()), shapesQuestions);
        List<Prompt> tiny = prompts(image(c05.id()), tinyQuestions);
        assertThat(shapes.get(0).ids()).containsExactly(toInts(c00.inputIds())); // the same tokenisation as EVE's
        assertThat(tiny.get(1).ids()).containsExactly(toInts(c06.inputIds()));

        float[][] shared = model.scoreShared(List.of(SharedPrompt.split(shapes), SharedPrompt.split(tiny)));

        assertThat(shared).hasNumberOfRows(6);
        List<Prompt> all = new ArrayList<>(shapes);
        all.addAll(tiny);
        for (int i = 0; i < all.size(); i++) {
            assertThat(EveGoldenParityTest.maxDiff(shared[i], fullPromptLogits(all.get(i))))
                    .as("row %d against its full prompt's prefill", i).isLessThanOrEqualTo(1e-4);
        }
        // Independent reference: the golden logits of the questions the reference set asked.
        GoldenCases.Case[] reference = {c00, c01, c00, null, c05, c06};
        for (int i = 0; i < reference.length; i++) {
            if (reference[i] != null) {
                assertThat(EveGoldenParityTest.maxDiff(shared[i], reference[i].prefillLogitsLast()))
                        .as("row %d against golden %s", i, reference[i].id()).isLessThanOrEqualTo(1e-4);
            }
        }
    }

    private static List<String> eightPolicies() {
        return List.of("Is there a red circle?", "Is there a blue square?", "Is there a green triangle?",
                "Does the image show violence?", "Is any text visible?", "Is the background dark?",
                "Are there more than three shapes?", "Is the image safe for work?");
    }

    @Test
    void kPoliciesEncodeTheImageOnceInTwoForwards() {
        List<Prompt> prompts = prompts(image("c00_grad_shapes_64x64_q0"), eightPolicies());
        ForwardCounts counts = model.counts();

        long encodes = counts.imageEncodes();
        long forwards = counts.forwards();
        float[][] shared = model.scoreShared(List.of(SharedPrompt.split(prompts)));
        assertThat(counts.imageEncodes() - encodes).as("image encodes, shared").isEqualTo(1);
        assertThat(counts.forwards() - forwards).as("forwards, shared").isEqualTo(2);

        encodes = counts.imageEncodes();
        forwards = counts.forwards();
        float[][] naive;
        try (PromptBatch batch = model.prefill(prompts, 0)) {
            naive = batch.logits();
        }
        assertThat(counts.imageEncodes() - encodes).as("image encodes, naive").isEqualTo(8);
        assertThat(counts.forwards() - forwards).as("forwards, naive").isEqualTo(1);
        for (int i = 0; i < 8; i++) {
            assertThat(EveGoldenParityTest.maxDiff(shared[i], naive[i])).as("policy %d", i).isLessThanOrEqualTo(1e-4);
        }
    }

    @Test
    void scoringLeavesNoArrayBehind() {
        List<SharedPrompt> groups = List.of(
                SharedPrompt.split(prompts(image("c00_grad_shapes_64x64_q0"), eightPolicies())),
                SharedPrompt.split(prompts(image("c05_tiny_17x23_q0"), List.of("Is it red?", "Is it tiny?"))));
        model.scoreShared(groups); // warm up whatever is created lazily
        int before = model.liveArrays();
        for (int i = 0; i < 3; i++) {
            model.scoreShared(groups);
        }
        assertThat(model.liveArrays()).isEqualTo(before);
    }

    @Test
    void throughASlotBatchTheSlotsAreUntouched() {
        List<Prompt> prompts = prompts(image("c05_tiny_17x23_q0"), List.of("Is it red?", "Is it tiny?"));
        try (SlotBatch batch = model.newSlotBatch(2, 256)) {
            float[][] logits = batch.scoreShared(List.of(SharedPrompt.split(prompts)));
            assertThat(batch.length(0)).isZero();
            assertThat(batch.length(1)).isZero();
            for (int i = 0; i < 2; i++) {
                assertThat(EveGoldenParityTest.maxDiff(logits[i], fullPromptLogits(prompts.get(i))))
                        .isLessThanOrEqualTo(1e-4);
            }
        }
    }

    private static int[] toInts(long[] ids) {
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = (int) ids[i];
        }
        return out;
    }
}
