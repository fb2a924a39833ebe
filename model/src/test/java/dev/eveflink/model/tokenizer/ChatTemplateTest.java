package dev.eveflink.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ChatTemplateTest {
    private static SentencePieceBpeTokenizer tokenizer;

    @BeforeAll
    static void load() {
        tokenizer = SentencePieceBpeTokenizer.load(GoldenTokenizerFiles.TOKENIZER_MODEL);
    }

    @Test
    void eveV1DiffersFromVicunaOnlyInTheSystemWording() {
        String vicuna = ChatTemplate.VICUNA_V1.prompt("Q?", true);
        String eve = ChatTemplate.EVE_V1.prompt("Q?", true);
        assertThat(eve).isEqualTo(vicuna.replace("curious user", "curious human").replace("the user's", "the human's"));
        assertThat(eve).endsWith(" USER: <image>\nQ? ASSISTANT:");
        assertThat(ChatTemplate.VICUNA_V1.prompt("Q?", false)).endsWith(" USER: Q? ASSISTANT:");
        assertThat(ChatTemplate.DEFAULT).isSameAs(ChatTemplate.VICUNA_V1);
    }

    @Test
    void byNameUsesEvesConvModeNames() {
        assertThat(ChatTemplate.byName("vicuna_v1")).isSameAs(ChatTemplate.VICUNA_V1);
        assertThat(ChatTemplate.byName("EVE_V1")).isSameAs(ChatTemplate.EVE_V1);
        assertThatThrownBy(() -> ChatTemplate.byName("llava_v0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("llava_v0").hasMessageContaining("vicuna_v1");
    }

    @Test
    void markerAtTheEdgesKeepsEmptyChunksLikePythonSplit() {
        int bos = tokenizer.bosId();
        assertThat(ChatTemplate.tokenizeWithImage(tokenizer, "<image>")).containsExactly(bos, -200);
        assertThat(ChatTemplate.tokenizeWithImage(tokenizer, "")).containsExactly(bos);
        int[] a = tokenizer.encode("a");
        int[] expected = IntStream.concat(IntStream.concat(IntStream.of(bos), IntStream.of(a)), IntStream.of(-200))
                .toArray();
        assertThat(ChatTemplate.tokenizeWithImage(tokenizer, "a<image>")).containsExactly(expected);
        assertThat(ChatTemplate.tokenizeWithImage(tokenizer, "<image><image>")).containsExactly(bos, -200, -200);
        assertThat(ChatTemplate.IMAGE_TOKEN_ID).isEqualTo(-200);
    }
}
