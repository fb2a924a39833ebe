package dev.eveflink.model.cli;

import ai.djl.Device;
import dev.eveflink.model.EveModel;
import dev.eveflink.model.config.EveConfig;
import dev.eveflink.model.config.PreprocessorConfig;
import dev.eveflink.model.image.ImageException;
import dev.eveflink.model.image.ImageLimits;
import dev.eveflink.model.image.ImagePipeline;
import dev.eveflink.model.image.PreprocessedImage;
import dev.eveflink.model.tokenizer.Tokenizer;
import dev.eveflink.model.tokenizer.Tokenizers;
import dev.eveflink.model.vision.VisualInput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a command needs of one checkpoint directory, each part loaded only when asked for. */
final class ModelContext implements AutoCloseable {
    private final Path dir;
    private EveModel model;
    private Tokenizer tokenizer;
    private ImagePipeline images;

    ModelContext(Path dir) throws CliFailure {
        if (!Files.isDirectory(dir)) {
            throw new CliFailure("model directory not found: " + dir);
        }
        this.dir = dir;
    }

    EveModel model() {
        if (model == null) {
            model = EveModel.load(dir, Device.cpu());
        }
        return model;
    }

    Tokenizer tokenizer() {
        if (tokenizer == null) {
            tokenizer = Tokenizers.load(dir);
        }
        return tokenizer;
    }

    PreprocessorConfig imageConfig() {
        return model != null ? model.imageConfig() : PreprocessorConfig.read(dir, EveConfig.read(dir));
    }

    ImagePipeline images() {
        if (images == null) {
            images = new ImagePipeline(imageConfig(), ImageLimits.defaults());
        }
        return images;
    }

    PreprocessedImage preprocess(Path imageFile) throws CliFailure {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(imageFile);
        } catch (IOException e) {
            throw new CliFailure("cannot read image " + imageFile + ": " + e.getMessage());
        }
        try {
            return images().process(bytes);
        } catch (ImageException e) {
            throw new CliFailure("image " + imageFile + " rejected: " + e.code() + ": " + e.getMessage());
        }
    }

    static VisualInput visualInput(PreprocessedImage image) {
        return new VisualInput(image.pixels(), image.height(), image.width());
    }

    @Override
    public void close() {
        if (model != null) {
            model.close();
        }
        if (tokenizer != null) {
            tokenizer.close();
        }
    }
}
