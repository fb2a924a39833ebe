package dev.eveflink.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizersTest {

    @Test
    void prefersTokenizerModel() {
        try (Tokenizer t = Tokenizers.load(GoldenTokenizerFiles.DIR)) {
            assertThat(t).isInstanceOf(SentencePieceBpeTokenizer.class);
            assertThat(t.vocabSize()).isEqualTo(320);
        }
    }

    @Test
    void fallsBackToTokenizerJson(@TempDir Path dir) throws IOException {
        Files.copy(Llama2Vocabulary.require(), dir.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
        try (Tokenizer t = Tokenizers.load(dir)) {
            assertThat(t).isInstanceOf(HuggingFaceTokenizerAdapter.class);
            assertThat(t.vocabSize()).isEqualTo(32000);
            assertThat(ChatTemplate.tokenizeWithImage(t, "Hi")).startsWith(1);
        }
    }

    @Test
    void namesTheDirectoryWhenNeitherFileExists(@TempDir Path dir) {
        assertThatThrownBy(() -> Tokenizers.load(dir)).isInstanceOf(TokenizerException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("tokenizer.model")
                .hasMessageContaining("tokenizer.json");
    }
}
