package dev.eveflink.model.testutil;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Checks the golden-fixture reader against facts stated in the golden README. */
class GoldenCasesTest {

    @Test
    void readsCasesAndTensors() {
        GoldenCases golden = GoldenCases.load();
        assertThat(golden.all()).hasSize(13);
        assertThat(golden.withImage()).hasSize(12);
        GoldenCases.Case c = golden.get("c02_stripes_80x48_q0");
        assertThat(c.preprocessInts("resized_wh")).containsExactly(64, 40);
        assertThat(c.preprocessInt("n_vis")).isEqualTo(46);
        assertThat(c.imagePath()).isPresent();
        GoldenCases.Tensors t = c.tensors();
        assertThat(t.shape("pixel_values")).containsExactly(4, 64, 64);
        assertThat(t.floats("pixel_values")).hasSize(4 * 64 * 64);
        assertThat(t.shape("decoded_rgb")).containsExactly(48, 80, 3);
        assertThat(t.bytes("decoded_rgb")).hasSize(48 * 80 * 3);
        // input_ids in the tensor file and in cases.json agree, -200 included
        assertThat(t.longs("input_ids")).containsExactly(c.inputIds()).contains(-200L);
        float[] logits = t.floats("prefill_logits_last");
        float[] fromJson = c.prefillLogitsLast();
        assertThat(logits).hasSize(320);
        for (int i = 0; i < logits.length; i++) {
            assertThat(logits[i]).isCloseTo(fromJson[i], org.assertj.core.data.Offset.offset(1e-5f));
        }
        assertThat(c.tokens()).hasSize(golden.newTokens());
        assertThat(golden.batched().members()).containsExactly(
                "b0_r0_stripes_80x48", "b0_r1_portrait_40x100", "b0_r2_tiny_17x23");
        assertThat(golden.batched().paddedLength()).isEqualTo(223);
    }
}
