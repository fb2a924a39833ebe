package dev.eveflink.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eveflink.model.vision.VisualInput;
import java.util.List;
import org.junit.jupiter.api.Test;

class SharedPromptTest {
    private static final int IMG = Prompt.IMAGE_TOKEN_ID;
    private static final VisualInput IMAGE = new VisualInput(new float[3 * 16 * 16], 16, 16);

    private static Prompt withImage(int... ids) {
        return new Prompt(ids, IMAGE);
    }

    @Test
    void splitsAtTheLongestCommonPrefixAndRebuildsEveryPrompt() {
        List<Prompt> prompts = List.of(withImage(1, 5, IMG, 7, 8, 9), withImage(1, 5, IMG, 7, 10), withImage(1, 5, IMG,
                7, 8, 11, 12));
        SharedPrompt shared = SharedPrompt.split(prompts);
        assertThat(shared.prefix().ids()).containsExactly(1, 5, IMG, 7);
        assertThat(shared.prefix().image()).isSameAs(IMAGE);
        assertThat(shared.suffix(0)).containsExactly(8, 9);
        assertThat(shared.suffix(1)).containsExactly(10);
        assertThat(shared.suffix(2)).containsExactly(8, 11, 12);
        assertThat(shared.suffixTokens()).isEqualTo(6);
        for (int i = 0; i < prompts.size(); i++) {
            assertThat(shared.full(i).ids()).containsExactly(prompts.get(i).ids());
        }
    }

    @Test
    void identicalQuestionsKeepTheirLastTokenEach() {
        SharedPrompt shared = SharedPrompt.split(List.of(withImage(1, IMG, 7, 8), withImage(1, IMG, 7, 8)));
        assertThat(shared.prefix().ids()).containsExactly(1, IMG, 7);
        assertThat(shared.suffix(0)).containsExactly(8);
        assertThat(shared.suffix(1)).containsExactly(8);
    }

    @Test
    void oneQuestionAndAPromptThatIsAnotherOnesPrefixBothKeepAToken() {
        assertThat(SharedPrompt.split(List.of(withImage(1, IMG, 7, 8))).suffix(0)).containsExactly(8);
        SharedPrompt nested = SharedPrompt.split(List.of(withImage(1, IMG, 7, 8), withImage(1, IMG, 7, 8, 9)));
        assertThat(nested.prefix().ids()).containsExactly(1, IMG, 7);
        assertThat(nested.suffix(1)).containsExactly(8, 9);
    }

    @Test
    void refusesPromptsThatCannotShareTheImage() {
        VisualInput other = new VisualInput(new float[3 * 16 * 16], 16, 16);
        assertThatThrownBy(() -> SharedPrompt.split(List.of(withImage(1, IMG, 7), new Prompt(new int[] {1, IMG, 8},
                other)))).hasMessageContaining("another image");
        assertThatThrownBy(() -> SharedPrompt.split(List.of(withImage(1, 4, IMG, 7), withImage(1, 5, IMG, 7))))
                .hasMessageContaining("before the image marker");
        assertThatThrownBy(() -> SharedPrompt.split(List.of(withImage(1, IMG))))
                .hasMessageContaining("before the image marker");
        assertThatThrownBy(() -> SharedPrompt.split(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SharedPrompt(withImage(1, IMG), List.of(new int[0])))
                .hasMessageContaining("empty");
    }

    @Test
    void textOnlyPromptsShareTheirCommonTokens() {
        SharedPrompt shared = SharedPrompt.split(List.of(Prompt.textOnly(new int[] {1, 2, 3}),
                Prompt.textOnly(new int[] {1, 2, 4})));
        assertThat(shared.prefix().ids()).containsExactly(1, 2);
        assertThat(shared.prefix().image()).isNull();
    }
}
