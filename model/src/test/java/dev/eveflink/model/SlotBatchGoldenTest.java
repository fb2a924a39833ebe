package dev.eveflink.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.eveflink.model.testutil.GoldenCases;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Continuous batching on the real model against the golden reference: sequences join a running
 * batch mid-decode, leave, and move between slots, and every sequence's logits still equal its own
 * reference run (teacher-forced), because each slot decodes at its own positions.
 */
class SlotBatchGoldenTest {
    private static GoldenCases golden;
    private static EveModel model;

    @BeforeAll
    static void load() {
        golden = GoldenCases.load();
        model = EveModel.load(golden.root(), Device.cpu());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** One golden sequence's progress: how many of its reference tokens were fed so far. */
    private static final class Track {
        final GoldenCases.Case golden;
        final float[] stepLogits;
        int step;

        Track(GoldenCases.Case golden) {
            this.golden = golden;
            this.stepLogits = golden.tensors().floats("step_logits");
        }

        void check(float[] logits, int vocab) {
            float[] expected = Arrays.copyOfRange(stepLogits, step * vocab, (step + 1) * vocab);
            assertThat(EveGoldenParityTest.maxDiff(logits, expected))
                    .as("%s step %d", golden.id(), step).isLessThanOrEqualTo(1e-4);
        }

        int nextToken() {
            return (int) golden.tokens()[step++];
        }
    }

    @Test
    void joinsLeavesAndMovesKeepEverySequenceExact() {
        int vocab = model.config().vocabSize();
        Track a = new Track(golden.get("c00_grad_shapes_64x64_q0"));
        Track b = new Track(golden.get("c05_tiny_17x23_q0"));
        Track c = new Track(golden.get("t00_text_only"));
        try (SlotBatch batch = model.newSlotBatch(3, 512)) {
            // a runs alone for three steps.
            a.check(batch.prefill(new int[] {0}, List.of(EveGoldenParityTest.promptOf(a.golden, model)))[0], vocab);
            for (int i = 0; i < 3; i++) {
                a.check(batch.decode(new int[] {a.nextToken()})[0], vocab);
            }
            // b and c join in one prefill while a is mid-sequence.
            float[][] joined = batch.prefill(new int[] {1, 2},
                    List.of(EveGoldenParityTest.promptOf(b.golden, model), EveGoldenParityTest.promptOf(c.golden, model)));
            b.check(joined[0], vocab);
            c.check(joined[1], vocab);
            for (int i = 0; i < 4; i++) {
                float[][] logits = batch.decode(new int[] {a.nextToken(), b.nextToken(), c.nextToken()});
                a.check(logits[0], vocab);
                b.check(logits[1], vocab);
                c.check(logits[2], vocab);
            }
            assertThat(batch.length(0)).isEqualTo(a.golden.seqLen() + 7);
            // a leaves; c moves into its slot so the running sequences stay in slots 0..1.
            batch.release(0);
            batch.move(2, 0);
            assertThat(batch.length(2)).isZero();
            for (int i = 0; i < 4; i++) {
                float[][] logits = batch.decode(new int[] {c.nextToken(), b.nextToken()});
                c.check(logits[0], vocab);
                b.check(logits[1], vocab);
            }
            // a fresh sequence (a again) reuses a freed slot.
            Track again = new Track(a.golden);
            again.check(batch.prefill(new int[] {2}, List.of(EveGoldenParityTest.promptOf(again.golden, model)))[0], vocab);
            float[][] logits = batch.decode(new int[] {c.nextToken(), b.nextToken(), again.nextToken()});
            c.check(logits[0], vocab);
            b.check(logits[1], vocab);
            again.check(logits[2], vocab);
        }
    }

    @Test
    void movesAndReleasesLeaveNoArraysBehind() {
        Track a = new Track(golden.get("c00_grad_shapes_64x64_q0"));
        try (SlotBatch batch = model.newSlotBatch(2, 512)) {
            batch.prefill(new int[] {0}, List.of(EveGoldenParityTest.promptOf(a.golden, model)));
            int before = model.liveArrays();
            for (int i = 0; i < 50; i++) { // the scheduler compacts like this whenever a sequence leaves
                batch.move(0, 1);
                batch.move(1, 0);
            }
            batch.decode(new int[] {a.nextToken()});
            assertThat(model.liveArrays()).as("live arrays after 100 moves and a decode step").isEqualTo(before);
        }
    }
}
