package dev.eveflink.model.demo.train;

import dev.eveflink.model.demo.world.Java2dSceneRenderer;
import dev.eveflink.model.demo.world.WorldSample;
import java.util.Arrays;
import java.util.Locale;

/**
 * Which renderer draws the held-out images that {@link DemoEvaluator} scores: the world's own (the images the
 * model was trained on, drawn with a held-out seed) or the independent {@link Java2dSceneRenderer}, which draws
 * the same scenes in the same encoding from the spec alone. The ground truth is the scene's either way.
 */
public enum EvaluationRenderer {
    /** The world's own renderer: {@link WorldSample#image()} as generated. */
    WORLD("world") {
        @Override
        public byte[] image(WorldSample sample) {
            return sample.image();
        }
    },
    /** The independent Java2D renderer (antialiased), same scene and encoding. */
    JAVA2D("java2d") {
        private final Java2dSceneRenderer renderer = new Java2dSceneRenderer();

        @Override
        public byte[] image(WorldSample sample) {
            return renderer.encode(sample.scene(), sample.encoding());
        }
    };

    private final String optionName;

    EvaluationRenderer(String optionName) {
        this.optionName = optionName;
    }

    /** The encoded image of the sample's scene as this renderer draws it. */
    public abstract byte[] image(WorldSample sample);

    /** The name on the command line, e.g. {@code java2d}. */
    public String optionName() {
        return optionName;
    }

    /** The renderer with this command-line name (case-insensitive). */
    public static EvaluationRenderer named(String name) {
        for (EvaluationRenderer renderer : values()) {
            if (renderer.optionName.equals(name.toLowerCase(Locale.ROOT))) {
                return renderer;
            }
        }
        throw new IllegalArgumentException("unknown renderer '" + name + "'; known: "
                + Arrays.stream(values()).map(EvaluationRenderer::optionName).toList());
    }
}
