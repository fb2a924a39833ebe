package dev.eveflink.model.testutil;

import dev.eveflink.model.Prompt;
import dev.eveflink.model.config.PreprocessorConfig;
import dev.eveflink.model.vision.VisualInput;
import java.util.Arrays;

/** A golden case as a model {@link Prompt}: its input ids and, for image cases, its {@code pixel_values}. */
public final class GoldenPrompts {
    private GoldenPrompts() {}

    public static Prompt of(GoldenCases.Case c, PreprocessorConfig image) {
        int[] ids = Arrays.stream(c.inputIds()).mapToInt(x -> (int) x).toArray();
        if (!c.hasImage()) {
            return Prompt.textOnly(ids);
        }
        VisualInput pixels = VisualInput.fromCanvas(c.tensors().floats("pixel_values"), image.imageSize(),
                image.patchStride());
        return new Prompt(ids, pixels);
    }
}
