package dev.eveflink.model.image;

import dev.eveflink.model.config.PreprocessorConfig;
import java.util.Objects;

/** Encoded bytes to model-ready pixels: {@link ImageDecoder} then {@link ImagePreprocessor}. Thread-safe. */
public final class ImagePipeline {
    private final ImageDecoder decoder;
    private final ImagePreprocessor preprocessor;

    public ImagePipeline(ImageDecoder decoder, ImagePreprocessor preprocessor) {
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.preprocessor = Objects.requireNonNull(preprocessor, "preprocessor");
    }

    public ImagePipeline(PreprocessorConfig config, ImageLimits limits) {
        this(new ImageDecoder(limits), new ImagePreprocessor(config));
    }

    public ImageDecoder decoder() {
        return decoder;
    }

    public ImagePreprocessor preprocessor() {
        return preprocessor;
    }

    /** Decodes (limits checked first), converts to RGB, resizes and normalises. */
    public PreprocessedImage process(byte[] encoded) throws ImageException {
        return preprocessor.preprocess(decoder.decode(encoded));
    }
}
