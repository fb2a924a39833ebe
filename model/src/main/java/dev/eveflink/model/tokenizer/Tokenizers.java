package dev.eveflink.model.tokenizer;

import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Picks the tokenizer of a model directory. */
public final class Tokenizers {
    private static final Logger LOG = LoggerFactory.getLogger(Tokenizers.class);

    private Tokenizers() {}

    /**
     * Loads {@code tokenizer.model} with the pure Java {@link SentencePieceBpeTokenizer} when present (it is what EVE's
     * slow LLaMA tokenizer reads), else {@code tokenizer.json} through {@link HuggingFaceTokenizerAdapter}.
     *
     * @throws TokenizerException when the directory holds neither file, or the file cannot be used
     */
    public static Tokenizer load(Path modelDir) {
        Path spm = modelDir.resolve("tokenizer.model");
        Path json = modelDir.resolve("tokenizer.json");
        if (Files.isRegularFile(spm)) {
            LOG.info("Loading SentencePiece tokenizer {}", spm);
            return SentencePieceBpeTokenizer.load(spm);
        }
        if (Files.isRegularFile(json)) {
            LOG.info("Loading HF tokenizer {}", json);
            return HuggingFaceTokenizerAdapter.load(json);
        }
        throw new TokenizerException(modelDir + ": no tokenizer.model or tokenizer.json in the model directory");
    }
}
